// A project registers its own image through the API (`kubectl apply` of an images.dabba.dev Image) and its pods run it; mistakes are refused or shown on the Image and the pod.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exists, kubectlPath, TestCluster, waitUntil } from '../cluster.ts';

const imageManifest = (name: string, image: string, from: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ apiVersion: 'dabba.dev/v1alpha1', kind: 'Image', metadata: { name }, spec: { image, from, args: ['node', 'server.js'], env: [{ name: 'GREETING', value: 'from the image' }], ...extra } });

for (const minor of [33, 27]) {
  describe(`images.dabba.dev with kubectl 1.${minor}`, async () => {
    const missing = !(await exists(kubectlPath(minor)));
    const opts = { skip: missing ? `skipped: kubectl 1.${minor} not installed` : false, timeout: 90_000 };
    let c: TestCluster;
    let work: string;
    const k = (args: string[], input?: string) => c.kubectl(minor, args, input);
    const ok = async (args: string[], input?: string) => {
      const r = await k(args, input);
      assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}`);
      return r.stdout;
    };
    const until = <T>(what: string, f: () => Promise<T | undefined | false>, ms = 45_000): Promise<T> => waitUntil(c, what, f, ms);

    before(async () => {
      if (missing) return;
      c = await TestCluster.start();
      work = await mkdtemp(join(tmpdir(), 'dabba-images-'));
      await mkdir(join(work, 'orders'));
      await writeFile(join(work, 'orders', 'server.js'), 'require("http").createServer((q, s) => s.end(`orders: ${process.env.GREETING}\\n`)).listen(8080);\n');
    });
    after(async () => {
      await c?.destroy();
      if (work) await rm(work, { recursive: true, force: true });
    });

    it('an applied Image is Ready and a Deployment of it serves from the project directory', opts, async () => {
      assert.equal((await ok(['apply', '-f', '-'], imageManifest('orders-v1', 'shop/orders:1.0', join(work, 'orders')))).trim(), 'image.dabba.dev/orders-v1 created');
      const table = await until('the Image to be Ready', async () => {
        const out = await ok(['get', 'images']);
        return /orders-v1\s+shop\/orders:1\.0\s+True\s+/.test(out) && out;
      });
      assert.match(table, /^NAME\s+IMAGE\s+READY\s+AGE\n/);
      assert.match(await ok(['get', 'img', '-o', 'wide']), new RegExp(`FROM.*\\n.*${join(work, 'orders').replace(/[/.]/g, '\\$&')}`));
      await ok(['create', 'deployment', 'orders', '--image=shop/orders:1.0']);
      await ok(['rollout', 'status', 'deployment/orders', '--timeout=45s']);
      const served = await until('the server to answer', async () => {
        const r = await k(['exec', 'deploy/orders', '--', 'wget', '-qO-', 'http://127.0.0.1:8080/']);
        return r.code === 0 && r.stdout;
      });
      assert.equal(served, 'orders: from the image\n');
      const status = JSON.parse(await ok(['get', 'pods', '-l', 'app=orders', '-o', 'json'])).items[0].status.containerStatuses[0];
      assert.equal(status.image, 'docker.io/shop/orders:1.0');
    });

    it("refuses an Image the node could never run, naming every field, and a second Image for the same reference", opts, async () => {
      const bad = JSON.stringify({ apiVersion: 'dabba.dev/v1alpha1', kind: 'Image', metadata: { name: 'bad' }, spec: { image: 'Shop/Orders:1.0', from: 'relative/dir', env: [{ name: '1X' }] } });
      const r = await k(['apply', '-f', '-'], bad);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /The Image "bad" is invalid: /);
      assert.match(r.stderr, /spec\.image: Invalid value: "Shop\/Orders:1\.0": couldn't parse image name "Shop\/Orders:1\.0": invalid reference format/);
      assert.match(r.stderr, /spec\.from: Invalid value: "relative\/dir": must be an absolute path/);
      assert.match(r.stderr, /spec\.args: Required value: what containers of this image run/);
      assert.match(r.stderr, /spec\.env\[0\]\.name: Invalid value: "1X"/);
      const dup = await k(['apply', '-f', '-'], imageManifest('orders-again', 'docker.io/shop/orders:1.0', join(work, 'orders')));
      assert.notEqual(dup.code, 0);
      assert.match(dup.stderr, /The Image "orders-again" is invalid: spec\.image: Duplicate value: "docker\.io\/shop\/orders:1\.0": Image "orders-v1" already registers shop\/orders:1\.0/);
      const missingField = await k(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'dabba.dev/v1alpha1', kind: 'Image', metadata: { name: 'nospec' } }));
      assert.notEqual(missingField.code, 0);
      assert.match(missingField.stderr, /spec: Required value/);
    });

    it('an Image whose directory is missing is not Ready, its pods wait in ImagePullBackOff and run once the directory exists', opts, async () => {
      const later = join(work, 'later');
      await ok(['apply', '-f', '-'], imageManifest('later', 'shop/later:2', later));
      const cond = await until('Ready=False', async () => {
        const img = JSON.parse(await ok(['get', 'image', 'later', '-o', 'json']));
        return img.status?.conditions?.find((x: { type: string; status: string }) => x.type === 'Ready' && x.status === 'False');
      });
      assert.equal(cond.reason, 'PathNotFound');
      assert.equal(cond.message, `${later} does not exist on this node; pods of shop/later:2 fail with ErrImagePull until it does`);
      await ok(['run', 'later', '--image=shop/later:2', '--restart=Never']);
      const events = await until('the Failed pull event', async () => {
        const out = await ok(['get', 'events', '--field-selector', 'involvedObject.name=later,reason=Failed', '-o', 'jsonpath={.items[*].message}']);
        return out.includes('Failed to pull image') && out;
      });
      assert.match(events, /Failed to pull image "shop\/later:2": failed to pull and unpack image "docker\.io\/shop\/later:2": Image "later" \(images\.dabba\.dev\) registers it from .*later, which does not exist on this node/);
      await mkdir(later);
      await writeFile(join(later, 'server.js'), 'setInterval(() => {}, 1000);\n');
      // The kubelet retries after its back-off (10 s); the pod then runs and the Image turns Ready.
      await until('the pod to run', async () => (await ok(['get', 'pod', 'later', '-o', 'jsonpath={.status.phase}'])) === 'Running', 60_000);
      await until('Ready=True', async () => /later\s+shop\/later:2\s+True/.test(await ok(['get', 'images'])));
    });

    it('after the Image is deleted, new pods of it fail to pull with the hint to register it', opts, async () => {
      await ok(['delete', 'image', 'orders-v1']);
      await ok(['run', 'gone', '--image=shop/orders:1.0', '--restart=Never']);
      const waiting = await until('ErrImagePull or ImagePullBackOff', async () => {
        const s = JSON.parse(await ok(['get', 'pod', 'gone', '-o', 'json'])).status?.containerStatuses?.[0]?.state?.waiting;
        return s && /ErrImagePull|ImagePullBackOff/.test(s.reason) && s;
      });
      assert.ok(waiting);
      const events = await until('the Failed pull event', async () => {
        const out = await ok(['get', 'events', '--field-selector', 'involvedObject.name=gone,reason=Failed', '-o', 'jsonpath={.items[*].message}']);
        return out.includes('Failed to pull image') && out;
      });
      assert.match(events, /is not in this node's image store .*register it with: dabba image add shop\/orders:1\.0/);
    });
  });
}
