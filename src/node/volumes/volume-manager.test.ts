import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VolumeManager, VolumeSetupError, type VolumeSources } from './volume-manager.ts';
import { ServiceAccountTokens } from './service-account-token.ts';
import type { ConfigMap, Pod, Secret } from '../pod-worker-types.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');

function setup(t: { after(fn: () => Promise<void>): void }) {
  const configMaps = new Map<string, ConfigMap>([['cfg', { metadata: { name: 'cfg' }, data: { 'app.yaml': 'env: prod\n', other: 'o' } }], ['kube-root-ca.crt', { metadata: { name: 'kube-root-ca.crt' }, data: { 'ca.crt': 'PEM' } }]]);
  const secrets = new Map<string, Secret>([['sec', { metadata: { name: 'sec' }, data: { password: b64('hunter2') } }]]);
  const requests: unknown[] = [];
  const tokens = new ServiceAccountTokens({
    request: (async (_m: string, path: string, body: unknown) => {
      requests.push({ path, body });
      return { status: { token: `tok-${requests.length}`, expirationTimestamp: new Date(Date.now() + 3607_000).toISOString() } };
    }) as never,
  });
  const sources: VolumeSources = {
    configMap: async (_ns, n) => configMaps.get(n),
    secret: async (_ns, n) => secrets.get(n),
    serviceAccount: async () => ({}),
    tokens,
    allocatable: { cpu: '2', memory: '4Gi' },
  };
  return { sources, configMaps, requests, make: async () => {
    const root = await mkdtemp(join(tmpdir(), 'vols-'));
    t.after(() => rm(root, { recursive: true, force: true }));
    return new VolumeManager(root, sources);
  } };
}

const pod = (spec: Partial<Pod['spec']>): Pod => ({
  metadata: { name: 'order-1', namespace: 'swiggy-prod', uid: 'uid-1', labels: { app: 'order' } },
  spec: { containers: [{ name: 'c', resources: { limits: { memory: '256Mi' } } }], serviceAccountName: 'default', ...spec },
});

test('configMap and secret volumes: keys as files, items, modes (secret 0400), updates swap atomically', async (t) => {
  const s = setup(t);
  const vm = await s.make();
  const p = pod({
    volumes: [
      { name: 'config-volume', configMap: { name: 'cfg' } },
      { name: 'secrets-volume', secret: { secretName: 'sec', defaultMode: 0o400 } },
      { name: 'picked', configMap: { name: 'cfg', items: [{ key: 'app.yaml', path: 'conf/app.yaml', mode: 0o600 }] } },
    ],
  });
  const mounted = await vm.setUp(p, p.spec.volumes!);
  const cfg = mounted.get('config-volume')!;
  assert.equal(cfg.readOnly, true);
  assert.equal(await readFile(join(cfg.hostPath, 'app.yaml'), 'utf8'), 'env: prod\n');
  const sec = mounted.get('secrets-volume')!.hostPath;
  assert.equal(await readFile(join(sec, 'password'), 'utf8'), 'hunter2');
  assert.equal((await stat(join(sec, 'password'))).mode & 0o777, 0o400);
  const picked = mounted.get('picked')!.hostPath;
  assert.equal((await stat(join(picked, 'conf/app.yaml'))).mode & 0o777, 0o600);
  const before = await readlink(join(cfg.hostPath, '..data'));
  s.configMaps.set('cfg', { metadata: { name: 'cfg' }, data: { 'app.yaml': 'env: changed\n' } });
  await vm.setUp(p, p.spec.volumes!);
  assert.notEqual(await readlink(join(cfg.hostPath, '..data')), before);
  assert.equal(await readFile(join(cfg.hostPath, 'app.yaml'), 'utf8'), 'env: changed\n');
  await assert.rejects(stat(join(cfg.hostPath, 'other')));
});

test('FailedMount messages: missing object, missing key, hostPath type', async (t) => {
  const s = setup(t);
  const vm = await s.make();
  const cases: [Pod['spec']['volumes'], string][] = [
    [[{ name: 'v', configMap: { name: 'nope' } }], 'configmap "nope" not found'],
    [[{ name: 'v', secret: { secretName: 'nope' } }], 'secret "nope" not found'],
    [[{ name: 'v', configMap: { name: 'cfg', items: [{ key: 'missing', path: 'm' }] } }], 'configmap references non-existent config key: missing'],
    [[{ name: 'v', secret: { secretName: 'sec', items: [{ key: 'missing', path: 'm' }] } }], 'secret references non-existent secret key: missing'],
    [[{ name: 'v', hostPath: { path: '/definitely/not/here', type: 'Directory' } }], 'hostPath type check failed: /definitely/not/here is not a directory'],
    [[{ name: 'v', hostPath: { path: '/etc', type: 'File' } }], 'hostPath type check failed: /etc is not a file'],
  ];
  for (const [volumes, message] of cases) {
    const p = pod({ volumes });
    await assert.rejects(vm.setUp(p, volumes!), (e: unknown) => e instanceof VolumeSetupError && e.volume === 'v' && e.message === message, message);
  }
  const opt = pod({ volumes: [{ name: 'v', configMap: { name: 'nope', optional: true } }] });
  await vm.setUp(opt, opt.spec.volumes!);
});

test('hostPath DirectoryOrCreate and FileOrCreate create; emptyDir Memory is a tmpfs bounded by limits', async (t) => {
  const s = setup(t);
  const vm = await s.make();
  const base = await mkdtemp(join(tmpdir(), 'hp-'));
  t.after(() => rm(base, { recursive: true, force: true }));
  await writeFile(join(base, 'exists'), '');
  const p = pod({
    volumes: [
      { name: 'd', hostPath: { path: join(base, 'made/dir'), type: 'DirectoryOrCreate' } },
      { name: 'f', hostPath: { path: join(base, 'file.txt'), type: 'FileOrCreate' } },
      { name: 'mem', emptyDir: { medium: 'Memory' } },
      { name: 'small', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
      { name: 'disk', emptyDir: {} },
    ],
  });
  const m = await vm.setUp(p, p.spec.volumes!);
  assert.equal((await stat(join(base, 'made/dir'))).isDirectory(), true);
  assert.equal((await stat(join(base, 'file.txt'))).isFile(), true);
  assert.equal(m.get('mem')!.tmpfsBytes, 256 * 1024 * 1024);
  assert.equal(m.get('small')!.tmpfsBytes, 64 * 1024 * 1024);
  assert.equal(m.get('disk')!.tmpfsBytes, undefined);
  assert.equal((await stat(m.get('disk')!.hostPath)).mode & 0o777, 0o777);
});

test('downwardAPI and the implicit service-account volume (token bound to the pod, ca.crt, namespace)', async (t) => {
  const s = setup(t);
  const vm = await s.make();
  const p = pod({ volumes: [{ name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'mem', resourceFieldRef: { containerName: 'c', resource: 'limits.memory', divisor: '1Mi' } }] } }] });
  const volumes = await vm.volumesOf(p);
  assert.equal(volumes.length, 2);
  assert.match(volumes[1].name, /^kube-api-access-[0-9a-f]{5}$/);
  const m = await vm.setUp(p, volumes);
  const info = m.get('info')!.hostPath;
  assert.equal(await readFile(join(info, 'labels'), 'utf8'), 'app="order"');
  assert.equal(await readFile(join(info, 'mem'), 'utf8'), '256');
  const sa = m.get(volumes[1].name)!.hostPath;
  assert.equal(await readFile(join(sa, 'token'), 'utf8'), 'tok-1');
  assert.equal(await readFile(join(sa, 'ca.crt'), 'utf8'), 'PEM');
  assert.equal(await readFile(join(sa, 'namespace'), 'utf8'), 'swiggy-prod');
  assert.deepEqual(s.requests[0], {
    path: '/api/v1/namespaces/swiggy-prod/serviceaccounts/default/token',
    body: {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 3607, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'order-1', uid: 'uid-1' } },
    },
  });
  await vm.setUp(p, volumes);
  assert.equal(s.requests.length, 1, 'a fresh token is reused');
  assert.equal((await vm.volumesOf(pod({ automountServiceAccountToken: false }))).length, 0);
  assert.equal((await vm.volumesOf(pod({ containers: [{ name: 'c', volumeMounts: [{ name: 'x', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] }] }))).length, 0);
});

test('tokens are refreshed after 80% of their life', () => {
  let now = 0;
  const tokens = new ServiceAccountTokens({ request: (async () => ({})) as never }, () => now);
  const c = { expiresAt: 3607_000, expirationSeconds: 3607 };
  now = 2800_000;
  assert.equal(tokens.requiresRefresh(c), false);
  now = 2900_000;
  assert.equal(tokens.requiresRefresh(c), true);
});
