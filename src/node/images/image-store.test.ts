import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ImagePullError, ImageStore, imagePullBackOffMessage } from './image-store.ts';

describe('ImageStore', () => {
  let dataDir: string;
  let appDir: string;
  let store: ImageStore;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dabba-images-'));
    appDir = join(dataDir, 'orders');
    await mkdir(appDir);
    await writeFile(join(appDir, 'server.js'), '');
    store = new ImageStore({ dataDir, host: { python3: '/usr/bin/python3', node: process.execPath } });
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('resolves python:* to the host python3 on the host root', async () => {
    const img = await store.resolve('python:3.11');
    assert.equal(img.ref, 'python:3.11');
    assert.equal(img.rootfs, '/');
    assert.deepEqual(img.cmd, ['python3']);
    assert.equal(img.user, 0);
    assert.ok(img.mounts?.some((m) => m.containerPath === '/usr/local/bin/python' && m.readOnly));
  });

  it('resolves node:* to the node binary dabba runs on', async () => {
    const img = await store.resolve('docker.io/library/node:24-slim');
    assert.deepEqual(img.mounts, [{ hostPath: process.execPath, containerPath: '/usr/local/bin/node', readOnly: true }]);
    assert.equal(img.env.NODE_VERSION, process.versions.node);
  });

  it('gives busybox a shell even without the busybox package', async () => {
    const img = await store.resolve('busybox');
    assert.deepEqual(img.cmd, ['sh']);
  });

  it('fails an image it cannot have like the kubelet: ErrImagePull naming the image and how to register it', async () => {
    const err = await store.resolve('shop/payments:2.1').catch((e) => e);
    assert.ok(err instanceof ImagePullError);
    assert.equal(err.reason, 'ErrImagePull');
    assert.match(err.message, /^failed to pull and unpack image "docker\.io\/shop\/payments:2\.1": /);
    assert.match(err.message, /dabba image add shop\/payments:2\.1 --from DIR/);
    assert.equal(imagePullBackOffMessage('shop/payments:2.1'), 'Back-off pulling image "shop/payments:2.1"');
  });

  it('says which package a built-in image needs when the host lacks it', async () => {
    const err = await store.resolve('nginx:1.25').catch((e) => e);
    assert.equal(err.reason, 'ErrImagePull');
    assert.match(err.message, /^failed to pull and unpack image "docker\.io\/library\/nginx:1\.25": .*apt-get install -y --no-install-recommends nginx-light/);
  });

  it('honours imagePullPolicy Never: ErrImageNeverPull for a missing image, fine for a present one', async () => {
    const err = await store.resolve('ghost:1', 'Never').catch((e) => e);
    assert.equal(err.reason, 'ErrImageNeverPull');
    assert.equal(err.message, 'Container image "ghost:1" is not present with pull policy of Never');
    assert.equal((await store.resolve('python:3', 'Never')).rootfs, '/');
    assert.equal(await store.present('ghost:1'), undefined);
  });

  it('refuses a malformed reference with InvalidImageName', async () => {
    const err = await store.resolve('Shop/Orders').catch((e) => e);
    assert.equal(err.reason, 'InvalidImageName');
    assert.match(err.message, /^Failed to apply default image tag "Shop\/Orders": couldn't parse image name "Shop\/Orders": invalid reference format$/);
  });

  it('registers a project image as a JSON file others can read, and resolves it first', async () => {
    const rec = await store.add({
      name: 'shop/orders:1.0',
      rootfs: '/',
      mounts: [{ hostPath: appDir, containerPath: '/app', readOnly: true }],
      entrypoint: [],
      cmd: ['node', 'server.js'],
      workingDir: '/app',
      env: { PORT: '8080' },
      user: 1000,
    });
    assert.equal(rec.repository, 'shop/orders');
    const onDisk = JSON.parse(await readFile(join(dataDir, 'images', 'shop', 'orders', '1.0.json'), 'utf8'));
    assert.equal(onDisk.apiVersion, 'dabba.dev/v1alpha1');
    assert.equal(onDisk.kind, 'Image');
    const img = await store.resolve('docker.io/shop/orders:1.0', 'Never');
    assert.deepEqual(img.cmd, ['node', 'server.js']);
    assert.equal(img.workingDir, '/app');
    assert.equal(img.user, 1000);
    assert.ok((await store.list()).some((e) => e.name === 'shop/orders:1.0' && !e.builtin));
    assert.equal(await store.remove('shop/orders:1.0'), true);
    await assert.rejects(store.resolve('shop/orders:1.0', 'Never'), /not present/);
  });

  it('refuses to register an image whose directory does not exist', async () => {
    await assert.rejects(
      store.add({ name: 'x:1', rootfs: '/', mounts: [{ hostPath: join(dataDir, 'nope'), containerPath: '/app', readOnly: true }], entrypoint: [], cmd: ['x'], workingDir: '/app', env: {}, user: 0 }),
      /does not exist/,
    );
  });
});
