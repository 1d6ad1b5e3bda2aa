// kubectl 1.32 and 1.33 send protobuf bodies for imperative `create` and `autoscale`; dabba stores what JSON kubectl 1.31 would.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { api, exists, kubectlPath, repoRoot, TestCluster } from '../cluster.ts';

const reference = 31;
const protobufMinors = [32, 33];
const fixture = (name: string) =>
  JSON.parse(readFileSync(`${repoRoot}/src/apiserver/protobuf/fixtures/${name}.json`, 'utf8')) as { body: string };

/** The imperative commands, each with the object it makes and the parts of it that do not depend on the server. */
const commands: { name: string; args: string[]; get: string[]; pick(o: any): unknown }[] = [
  {
    name: 'configmap',
    args: ['create', 'configmap', 'settings', '--from-literal=mode=fast', '--from-literal=level=3'],
    get: ['configmap', 'settings'],
    pick: (o) => ({ labels: o.metadata.labels, data: o.data, binaryData: o.binaryData }),
  },
  {
    name: 'secret',
    args: ['create', 'secret', 'generic', 'creds', '--from-literal=user=admin', '--from-literal=password=s3cr=t!'],
    get: ['secret', 'creds'],
    pick: (o) => ({ type: o.type, data: o.data }),
  },
  {
    name: 'service',
    args: ['create', 'service', 'clusterip', 'x', '--tcp=80:8080'],
    get: ['service', 'x'],
    pick: (o) => {
      const { clusterIP: _ip, clusterIPs: _ips, ...spec } = o.spec;
      return { labels: o.metadata.labels, spec };
    },
  },
  {
    name: 'deployment',
    args: ['create', 'deployment', 'web', '--image=nginx', '--replicas=2'],
    get: ['deployment', 'web'],
    pick: (o) => ({ labels: o.metadata.labels, spec: o.spec }),
  },
  {
    name: 'autoscale',
    args: ['autoscale', 'deployment', 'web', '--max=5', '--cpu-percent=60'],
    get: ['hpa', 'web'],
    pick: (o) => ({ apiVersion: o.apiVersion, spec: o.spec }),
  },
];

describe('protobuf request bodies', async () => {
  const installed = await Promise.all([reference, ...protobufMinors].map((m) => exists(kubectlPath(m))));
  const missing = [reference, ...protobufMinors].filter((_, i) => !installed[i]);
  const opts = { skip: missing.length ? `skipped: kubectl ${missing.map((m) => `1.${m}`).join(', ')} not installed` : false };
  let c: TestCluster;
  let jobsServed = false;

  const ok = async (minor: number, ...args: string[]) => {
    const r = await c.kubectl(minor, args);
    assert.equal(r.code, 0, `kubectl 1.${minor} ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}`);
    return r;
  };
  const getJson = async (ns: string, what: string[]) => JSON.parse((await ok(reference, '-n', ns, 'get', ...what, '-o', 'json')).stdout);

  before(async () => {
    if (missing.length) return;
    c = await TestCluster.start();
    jobsServed = /^jobs\s.*batch\/v1\s/m.test((await ok(reference, 'api-resources')).stdout);
    // The reference: kubectl 1.31 sends every one of these as JSON.
    await ok(reference, 'create', 'namespace', `json-${reference}`);
    for (const cmd of commands) await ok(reference, '-n', `json-${reference}`, ...cmd.args);
  });
  after(async () => {
    await c?.destroy();
  });

  for (const minor of protobufMinors) {
    const ns = `pb-${minor}`;
    /** Runs a command with request logging on, and checks its body went out as protobuf and succeeded. */
    const viaProtobuf = async (...args: string[]) => {
      const r = await ok(minor, '-v=7', ...args);
      // 1.32 logs `POST https://…` and `Response Status: 201 Created`, 1.33 `verb="POST"` and `status="201 Created"`.
      const post = /(POST https:\/\/|verb="POST")[^]*?Content-Type: application\/vnd\.kubernetes\.protobuf[^]*?(Response Status: |status=")201 Created/;
      assert.match(r.stderr, post, `kubectl 1.${minor} ${args.join(' ')} did not send protobuf`);
      return r.stdout;
    };

    it(`kubectl 1.${minor}: create namespace`, opts, async () => {
      assert.match(await viaProtobuf('create', 'namespace', ns), new RegExp(`^namespace/${ns} created`));
      const made = await getJson('default', ['namespace', ns]);
      const ref = await getJson('default', ['namespace', `json-${reference}`]);
      assert.deepEqual(made.spec, ref.spec);
      assert.equal(made.status.phase, 'Active');
      assert.equal(made.metadata.labels['kubernetes.io/metadata.name'], ns);
    });

    for (const cmd of commands) {
      it(`kubectl 1.${minor}: ${cmd.args.slice(0, 3).join(' ')} stores what kubectl 1.${reference} stores`, opts, async () => {
        await viaProtobuf('-n', ns, ...cmd.args);
        const made = cmd.pick(await getJson(ns, cmd.get));
        const ref = cmd.pick(await getJson(`json-${reference}`, cmd.get));
        assert.deepEqual(made, ref);
      });
    }

    it(`kubectl 1.${minor}: create job`, opts, async (t) => {
      if (!jobsServed) {
        t.skip('skipped: batch/v1 jobs are not served yet (kubectl api-resources lists no jobs)');
        return;
      }
      const args = ['create', 'job', 'pi', '--image=perl:5.34', '--', 'perl', '-e', 'print 1'];
      await ok(reference, '-n', `json-${reference}`, ...args).catch(() => undefined);
      await viaProtobuf('-n', ns, ...args);
      // The selector and template labels carry the Job's own uid; everything else must match.
      const pick = (o: any) => {
        const { selector: _s, ...spec } = o.spec;
        const { metadata: _m, ...template } = spec.template;
        return { ...spec, template };
      };
      assert.deepEqual(pick(await getJson(ns, ['job', 'pi'])), pick(await getJson(`json-${reference}`, ['job', 'pi'])));
    });
  }

  it('answers a protobuf body in JSON when the client also accepts JSON, as kubectl asks', opts, async () => {
    await ok(reference, 'create', 'namespace', 'raw');
    const r = await api(c, 'POST', '/api/v1/namespaces/raw/configmaps?fieldManager=kubectl-create&fieldValidation=Strict', {
      body: Buffer.from(fixture('create-configmap').body, 'base64'),
      headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf', Accept: 'application/vnd.kubernetes.protobuf,application/json' },
    });
    assert.equal(r.status, 201, r.body);
    assert.match(String(r.headers['content-type']), /^application\/json/);
    const cm = r.json();
    assert.equal(cm.metadata.name, 'settings');
    assert.equal(cm.data['text.txt'], 'line1\nline2\n');
    assert.equal(Buffer.from(cm.binaryData.blob, 'base64').toString('latin1'), 'hello\0\xff\xfebin');
  });

  it('refuses a malformed protobuf body with 400, not 415', opts, async () => {
    const body = Buffer.from(fixture('create-deployment').body, 'base64');
    const r = await api(c, 'POST', '/apis/apps/v1/namespaces/raw/deployments', {
      body: body.subarray(0, body.length - 20),
      headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf' },
    });
    assert.equal(r.status, 400, r.body);
    assert.equal(r.json().reason, 'BadRequest');
  });
});
