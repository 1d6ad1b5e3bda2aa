// The API server's wire contract seen from outside: auth, health, discovery, watch encodings, validation modes, restarts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { request } from 'node:https';
import { parse } from 'yaml';
import { api, TestCluster } from '../cluster.ts';

const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cm = (name: string, data: Record<string, string> = { a: '1' }) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

/** Opens a watch and collects its JSON lines until `done` holds or `ms` pass. */
async function watchLines(c: TestCluster, path: string, accept: string, act: () => Promise<void>, done: (lines: any[]) => boolean, ms = 5000): Promise<any[]> {
  const kc = parse(await readFile(c.kubeconfig, 'utf8'));
  const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');
  const u = kc.users[0].user;
  const lines: any[] = [];
  await new Promise<void>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: c.port,
        path,
        ca: b64(kc.clusters[0].cluster['certificate-authority-data']),
        cert: b64(u['client-certificate-data']),
        key: b64(u['client-key-data']),
        headers: { Accept: accept },
      },
      (res) => {
        let buf = '';
        const timer = setTimeout(() => {
          res.destroy();
          resolve();
        }, ms);
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          buf += d;
          let i;
          while ((i = buf.indexOf('\n')) >= 0) {
            lines.push(JSON.parse(buf.slice(0, i)));
            buf = buf.slice(i + 1);
          }
          if (done(lines)) {
            clearTimeout(timer);
            res.destroy();
            resolve();
          }
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve();
        });
        act().catch(reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
  return lines;
}

describe('API server wire contract', () => {
  let c: TestCluster;
  before(async () => {
    c = await TestCluster.start([], { DABBA_COMPACTION_INTERVAL_MS: '300' });
  });
  after(async () => {
    await c?.destroy();
  });

  it('rejects anonymous API requests with 401 but serves health and version', async () => {
    const anon = await api(c, 'GET', '/api/v1/namespaces', { anonymous: true });
    assert.equal(anon.status, 401);
    assert.equal(anon.json().reason, 'Unauthorized');
    for (const p of ['/readyz', '/livez', '/healthz']) assert.equal((await api(c, 'GET', p, { anonymous: true })).status, 200);
    const v = (await api(c, 'GET', '/version', { anonymous: true })).json();
    assert.equal(v.major, '1');
    assert.equal(v.minor, '33');
  });

  it('serves aggregated discovery v2 and v2beta1 with their exact content types, legacy otherwise', async () => {
    for (const v of ['v2', 'v2beta1']) {
      const r = await api(c, 'GET', '/apis', { headers: { Accept: `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList,application/json` } });
      assert.equal(r.headers['content-type'], `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`);
      const apps = r.json().items.find((g: any) => g.metadata.name === 'apps');
      const deploy = apps.versions[0].resources.find((x: any) => x.resource === 'deployments');
      assert.deepEqual(deploy.responseKind, { group: 'apps', version: 'v1', kind: 'Deployment' });
      assert.ok(deploy.subresources.some((s: any) => s.subresource === 'scale'));
    }
    const legacy = await api(c, 'GET', '/api');
    assert.equal(legacy.json().kind, 'APIVersions');
    const core = await api(c, 'GET', '/api/v1');
    assert.ok(core.json().resources.some((r: any) => r.name === 'pods/status'));
  });

  it('strict, warn and ignore field validation', async () => {
    const bad = { ...cm('fv'), bogus: true };
    const strict = await api(c, 'POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', { body: bad });
    assert.equal(strict.status, 400);
    assert.equal(strict.json().message, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus"');
    const warn = await api(c, 'POST', '/api/v1/namespaces/default/configmaps', { body: bad });
    assert.equal(warn.status, 201);
    assert.equal(warn.headers.warning, '299 - "unknown field \\"bogus\\""');
    const ignore = await api(c, 'POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Ignore', { body: { ...bad, metadata: { name: 'fv2' } } });
    assert.equal(ignore.status, 201);
    assert.equal(ignore.headers.warning, undefined);
    const typed = await api(c, 'POST', '/apis/apps/v1/namespaces/default/deployments', { body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 'two' } } });
    assert.equal(typed.status, 400);
    assert.match(typed.json().message, /cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32/);
  });

  it('dryRun=All validates but stores nothing', async () => {
    const r = await api(c, 'POST', '/api/v1/namespaces/default/configmaps?dryRun=All', { body: cm('dry') });
    assert.equal(r.status, 201);
    assert.equal((await api(c, 'GET', '/api/v1/namespaces/default/configmaps/dry')).status, 404);
  });

  it('Table watch events carry column definitions only in the first event; watch=True is a watch', async () => {
    const list = (await api(c, 'GET', '/api/v1/namespaces/default/configmaps')).json();
    const lines = await watchLines(
      c,
      `/api/v1/namespaces/default/configmaps?watch=True&resourceVersion=${list.metadata.resourceVersion}`,
      tableAccept,
      async () => {
        await api(c, 'POST', '/api/v1/namespaces/default/configmaps', { body: cm('t1') });
        await api(c, 'POST', '/api/v1/namespaces/default/configmaps', { body: cm('t2') });
      },
      (l) => l.length >= 2,
    );
    assert.equal(lines.length, 2);
    assert.equal(lines[0].type, 'ADDED');
    assert.equal(lines[0].object.kind, 'Table');
    assert.ok(Array.isArray(lines[0].object.columnDefinitions));
    assert.equal(lines[0].object.rows[0].cells[0], 't1');
    assert.equal(lines[1].object.columnDefinitions, undefined);
    assert.equal(lines[1].object.rows[0].cells[0], 't2');
  });

  it('answers a watch from a compacted resourceVersion with 410 Expired', async () => {
    const first = await api(c, 'POST', '/api/v1/namespaces/default/configmaps', { body: cm('old') });
    const rv = Number(first.json().metadata.resourceVersion);
    for (let i = 0; i < 3; i++) {
      await api(c, 'POST', '/api/v1/namespaces/default/configmaps', { body: cm(`churn${i}`) });
      await sleep(400);
    }
    const lines = await watchLines(c, `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${rv - 1}`, 'application/json', async () => {}, (l) => l.length >= 1);
    assert.equal(lines[0]?.type, 'ERROR');
    assert.equal(lines[0].object.code, 410);
    assert.equal(lines[0].object.reason, 'Expired');
  });

  it('keeps Secret values encrypted at rest', async () => {
    const value = 'sup3r-s3cret-value-' + Date.now();
    const r = await api(c, 'POST', '/api/v1/namespaces/default/secrets', {
      body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'hidden' }, stringData: { password: value } },
    });
    assert.equal(r.status, 201);
    assert.equal(Buffer.from(r.json().data.password, 'base64').toString(), value);
    const needles = [value, Buffer.from(value).toString('base64')];
    for (const f of await readdir(c.dataDir, { recursive: true })) {
      let bytes: Buffer;
      try {
        bytes = await readFile(join(c.dataDir, f));
      } catch {
        continue;
      }
      for (const n of needles) assert.equal(bytes.includes(n), false, `${f} contains the secret value`);
    }
  });

  it('stops cleanly on SIGTERM and sees every acknowledged object after a restart', async () => {
    for (let i = 0; i < 20; i++) {
      const r = await api(c, 'POST', '/api/v1/namespaces/default/configmaps', { body: cm(`keep${i}`, { i: String(i) }) });
      assert.equal(r.status, 201);
    }
    assert.equal(await c.stop(), 0);
    await c.up();
    const items = (await api(c, 'GET', '/api/v1/namespaces/default/configmaps')).json().items.map((o: any) => o.metadata.name);
    for (let i = 0; i < 20; i++) assert.ok(items.includes(`keep${i}`), `keep${i} survived the restart`);
    const secret = (await api(c, 'GET', '/api/v1/namespaces/default/secrets/hidden')).json();
    assert.ok(secret.data.password);
  });

  it('sees every object acknowledged before a SIGKILL after a restart', async () => {
    // Concurrent creates share the datastore's syncs; each answer must still mean the object is stored.
    const acknowledged: string[] = [];
    await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const r = await api(c, 'POST', '/api/v1/namespaces/default/configmaps', { body: cm(`killed${i}`, { i: String(i) }) });
        assert.equal(r.status, 201);
        acknowledged.push(`killed${i}`);
      }),
    );
    await c.kill();
    await c.up();
    const items = (await api(c, 'GET', '/api/v1/namespaces/default/configmaps')).json().items.map((o: any) => o.metadata.name);
    assert.deepEqual(acknowledged.filter((name) => !items.includes(name)), [], 'acknowledged objects lost by the kill');
  });
});
