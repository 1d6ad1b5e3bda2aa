// Garbage collection, namespace deletion and per-namespace defaults, driven with kubectl against a real `dabba up`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exists, kubectlPath, TestCluster } from '../cluster.ts';

const minor = 33;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const cm = (name: string, owner?: { name: string; uid: string }, block = true) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace: 'gc',
      ...(owner ? { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner.name, uid: owner.uid, blockOwnerDeletion: block }] } : {}),
    },
    data: { a: '1' },
  });

describe('controllers', async () => {
  const missing = !(await exists(kubectlPath(minor)));
  const opts = { skip: missing ? `skipped: kubectl 1.${minor} not installed` : false };
  let c: TestCluster;
  const k = async (args: string[], input?: string) => {
    const r = await c.kubectl(minor, args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const names = async () => (await k(['get', 'cm', '-n', 'gc', '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ').filter(Boolean);
  const until = async (what: string, f: () => Promise<boolean>) => {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (await f()) return;
      await sleep(100);
    }
    assert.fail(`timed out waiting for ${what}`);
  };
  const owner = async (name: string) => {
    const o = JSON.parse(await k(['apply', '-f', '-', '-o', 'json'], cm(name)));
    return { name, uid: o.metadata.uid as string };
  };

  before(async () => {
    if (!missing) c = await TestCluster.start();
  });
  after(async () => {
    await c?.destroy();
  });

  it('gives every namespace a default ServiceAccount and the kube-root-ca.crt ConfigMap', opts, async () => {
    await k(['apply', '-f', '-'], 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: gc\n');
    await until('default serviceaccount', async () => (await c.kubectl(minor, ['get', 'sa', 'default', '-n', 'gc'])).code === 0);
    await until('root CA configmap', async () => (await names()).includes('kube-root-ca.crt'));
    const ca = await k(['get', 'cm', 'kube-root-ca.crt', '-n', 'gc', '-o', 'jsonpath={.data.ca\\.crt}']);
    assert.match(ca, /^-----BEGIN CERTIFICATE-----/);
    await k(['delete', 'sa', 'default', '-n', 'gc']);
    await until('default serviceaccount recreated', async () => (await c.kubectl(minor, ['get', 'sa', 'default', '-n', 'gc'])).code === 0);
  });

  it('background deletion removes dependents', opts, async () => {
    const o = await owner('bg-owner');
    await k(['apply', '-f', '-'], cm('bg-dep1', o));
    await k(['apply', '-f', '-'], cm('bg-dep2', o));
    await k(['delete', 'cm', 'bg-owner', '-n', 'gc']);
    await until('dependents collected', async () => !(await names()).some((n) => n.startsWith('bg-')));
  });

  it('foreground deletion removes blocking dependents before the owner', opts, async () => {
    const o = await owner('fg-owner');
    await k(['apply', '-f', '-'], cm('fg-dep', o));
    await k(['delete', 'cm', 'fg-owner', '-n', 'gc', '--cascade=foreground', '--wait=false']);
    await until('owner and dependent gone', async () => !(await names()).some((n) => n.startsWith('fg-')));
  });

  it('orphan deletion keeps dependents and strips their ownerReferences', opts, async () => {
    const o = await owner('or-owner');
    await k(['apply', '-f', '-'], cm('or-dep', o));
    await k(['delete', 'cm', 'or-owner', '-n', 'gc', '--cascade=orphan']);
    await until('owner gone', async () => !(await names()).includes('or-owner'));
    await sleep(300);
    assert.ok((await names()).includes('or-dep'));
    const refs = await k(['get', 'cm', 'or-dep', '-n', 'gc', '-o', 'jsonpath={.metadata.ownerReferences}']);
    assert.equal(refs, '');
  });

  it('deleting a namespace empties it, then removes it', opts, async () => {
    await k(['apply', '-f', '-'], 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: gc\nstringData:\n  k: v\n');
    await k(['delete', 'ns', 'gc', '--wait=false']);
    const phase = await k(['get', 'ns', 'gc', '-o', 'jsonpath={.status.phase}']).catch(() => 'gone');
    assert.ok(phase === 'Terminating' || phase === 'gone', phase);
    const refused = await c.kubectl(minor, ['apply', '-f', '-'], cm('late'));
    if (phase === 'Terminating' && refused.code !== 0) assert.match(refused.stderr, /because it is being terminated|not found/);
    const w = await c.kubectl(minor, ['wait', '--for=delete', 'ns/gc', '--timeout=20s']);
    assert.equal(w.code, 0, w.stderr);
    const all = await k(['get', 'cm,secret,sa', '-A', '-o', 'jsonpath={.items[*].metadata.namespace}']);
    assert.ok(!all.split(' ').includes('gc'), `objects left in gc: ${all}`);
  });
});
