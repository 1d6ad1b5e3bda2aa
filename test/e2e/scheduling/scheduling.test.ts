// The Node this machine registers and the scheduler binding pods to it, seen through kubectl 1.33 and 1.27 and the raw API.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { api, exists, kubectlPath, TestCluster } from '../cluster.ts';

const minors = [33, 27];
const nodeName = 'e2e-node';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const insufficientCpu = '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.';
const selectorMismatch =
  "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";

const podYaml = (name: string, spec: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: sched
spec:
${spec}`;

const container = (requests = '') => `  containers:
  - name: main
    image: busybox
    command: ["sleep", "3600"]
${requests}`;

describe('scheduling', async () => {
  const installed = await Promise.all(minors.map((m) => exists(kubectlPath(m))));
  const missing = minors.filter((_, i) => !installed[i]);
  const opts = { skip: missing.length ? `skipped: kubectl ${missing.map((m) => `1.${m}`).join(', ')} not installed` : false };
  let c: TestCluster;

  const k = async (minor: number, args: string[], input?: string) => {
    const r = await c.kubectl(minor, args, input);
    assert.equal(r.code, 0, `kubectl 1.${minor} ${args.join(' ')}:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const until = async (what: string, f: () => Promise<boolean>, ms = 15_000) => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (await f()) return;
      await sleep(100);
    }
    assert.fail(`timed out waiting for ${what}`);
  };
  const pod = async (name: string) => (await api(c, 'GET', `/api/v1/namespaces/sched/pods/${name}`)).json();

  before(async () => {
    if (missing.length) return;
    c = await TestCluster.start(['--node-name', nodeName]);
    await k(33, ['create', 'namespace', 'sched']);
  });
  after(async () => {
    await c?.destroy();
  });

  it('registers this machine as a Ready node with upstream columns', opts, async () => {
    for (const minor of minors) {
      const lines = (await k(minor, ['get', 'nodes', '-o', 'wide'])).trimEnd().split('\n');
      assert.deepEqual(lines[0]!.split(/\s+/), ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME']);
      assert.equal(lines.length, 2, `one node:\n${lines.join('\n')}`);
      const [name, status, roles, , version, internalIP, externalIP] = lines[1]!.split(/\s+/);
      assert.deepEqual([name, status, roles, version, externalIP], [nodeName, 'Ready', 'control-plane', 'v1.33.0', '<none>']);
      assert.match(internalIP!, /^\d+\.\d+\.\d+\.\d+$/);
    }
  });

  it('describes the node with capacity, allocatable, conditions, its lease and the kubelet events', opts, async () => {
    for (const minor of minors) {
      const out = await k(minor, ['describe', 'node', nodeName]);
      assert.match(out, /^Roles:\s+control-plane$/m);
      assert.match(out, /^\s+kubernetes\.io\/hostname=e2e-node$/m);
      assert.match(out, /^Lease:\n\s+HolderIdentity:\s+e2e-node\n\s+AcquireTime:\s+<unset>\n\s+RenewTime:\s+\S/m);
      assert.match(out, /^Capacity:\n\s+cpu:\s+\d+\n\s+ephemeral-storage:\s+\d+\w*\n(\s+hugepages-\w+:\s+\d+\w*\n)*\s+memory:\s+\d+Ki\n\s+pods:\s+110$/m);
      assert.match(out, /^Allocatable:\n\s+cpu:\s+\d+\n/m);
      for (const [type, status, reason, message] of [
        ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
        ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
        ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
        ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
      ]) {
        assert.match(out, new RegExp(`^\\s+${type}\\s+${status}\\s+.+\\s+${reason}\\s+${message}$`, 'm'), `${type} condition (kubectl 1.${minor})`);
      }
      // The node gets the first /24 of the cluster's pod range: all of the /24 the harness leases per cluster.
      assert.ok(c.podCIDR.endsWith('/24'), c.podCIDR);
      assert.match(out, new RegExp(`^PodCIDR:\\s+${c.podCIDR.replace(/[./]/g, '\\$&')}$`, 'm'));
      assert.match(out, /Normal\s+Starting\s+\S+\s+kubelet\s+Starting kubelet\./);
      assert.match(out, /Normal\s+NodeHasSufficientMemory\s+\S+\s+kubelet\s+Node e2e-node status is now: NodeHasSufficientMemory/);
    }
    // Allocatable keeps the kubelet's hard eviction threshold for memory (100Mi) back.
    const node = (await api(c, 'GET', `/api/v1/nodes/${nodeName}`)).json();
    const ki = (q: string) => Number(/^(\d+)Ki$/.exec(q)?.[1]);
    assert.equal(ki(node.status.capacity.memory) - ki(node.status.allocatable.memory), 102400);
    const lease = (await api(c, 'GET', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${nodeName}`)).json();
    assert.equal(lease.spec.leaseDurationSeconds, 40);
    assert.deepEqual(lease.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: node.metadata.uid }]);
  });

  it('binds a pod to the node (NODE in get pod -o wide) with a Scheduled event', opts, async () => {
    await k(33, ['apply', '-f', '-'], podYaml('web', container()));
    await until('web bound', async () => (await pod('web')).spec.nodeName === nodeName);
    for (const minor of minors) {
      const lines = (await k(minor, ['get', 'pod', 'web', '-n', 'sched', '-o', 'wide'])).trimEnd().split('\n');
      assert.deepEqual(lines[0]!.split(/\s+/).slice(0, 9), ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED', 'NODE']);
      assert.equal(lines[1]!.split(/\s+/)[6], nodeName);
    }
    const scheduled = (await pod('web')).status.conditions.find((x: { type: string }) => x.type === 'PodScheduled');
    assert.equal(scheduled.status, 'True');
    await until('Scheduled event', async () =>
      (await k(33, ['describe', 'pod', 'web', '-n', 'sched'])).includes(`Successfully assigned sched/web to ${nodeName}`),
    );
    assert.match(await k(27, ['describe', 'pod', 'web', '-n', 'sched']), /Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned sched\/web to e2e-node/);
  });

  it('leaves a pod asking for 1000 CPUs Pending with upstream FailedScheduling text', opts, async () => {
    await k(33, ['apply', '-f', '-'], podYaml('huge', container('    resources:\n      requests:\n        cpu: "1000"\n')));
    await until('PodScheduled=False', async () => (await pod('huge')).status.conditions?.some((x: { reason?: string }) => x.reason === 'Unschedulable') ?? false);
    const cond = (await pod('huge')).status.conditions.find((x: { type: string }) => x.type === 'PodScheduled');
    assert.deepEqual([cond.status, cond.reason, cond.message], ['False', 'Unschedulable', insufficientCpu]);
    for (const minor of minors) {
      const out = await k(minor, ['describe', 'pod', 'huge', '-n', 'sched']);
      assert.match(out, /^Status:\s+Pending$/m);
      assert.match(out, /^Node:\s+<none>$/m);
      assert.ok(out.includes(`Warning  FailedScheduling  `) && out.includes(`default-scheduler  ${insufficientCpu}`), `kubectl 1.${minor} describe:\n${out}`);
      const row = (await k(minor, ['get', 'pod', 'huge', '-n', 'sched', '-o', 'wide'])).trimEnd().split('\n')[1]!.split(/\s+/);
      assert.deepEqual([row[2], row[6]], ['Pending', '<none>']);
    }
  });

  it('waits on an unmatched nodeSelector with upstream text, and schedules once the node is labelled', opts, async () => {
    await k(33, ['apply', '-f', '-'], podYaml('ssd', `  nodeSelector:\n    disktype: ssd\n${container()}`));
    for (const minor of minors) {
      await until(`FailedScheduling in kubectl 1.${minor} describe`, async () => (await k(minor, ['describe', 'pod', 'ssd', '-n', 'sched'])).includes(`default-scheduler  ${selectorMismatch}`));
    }
    await k(33, ['label', 'node', nodeName, 'disktype=ssd']);
    await until('ssd bound after labelling', async () => (await pod('ssd')).spec.nodeName === nodeName);
  });

  it('refuses bindings as BindingREST does', opts, async () => {
    // A pod of another scheduler stays unbound, so bindings can be tried on it by hand.
    await k(33, ['apply', '-f', '-'], podYaml('manual', `  schedulerName: my-scheduler\n${container()}`));
    const p = await pod('manual');
    const bind = (name: string, body: object) => api(c, 'POST', `/api/v1/namespaces/sched/pods/${name}/binding`, { body: { apiVersion: 'v1', kind: 'Binding', ...body } });

    const wrongUid = await bind('manual', { metadata: { name: 'manual', uid: 'not-the-uid' }, target: { name: nodeName } });
    assert.equal(wrongUid.status, 409);
    assert.equal(
      wrongUid.json().message,
      `Operation cannot be fulfilled on pods "manual": StorageError: invalid object, Code: 4, Key: /registry/pods/sched/manual, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: not-the-uid, UID in object meta: ${p.metadata.uid}`,
    );
    const noTarget = await bind('manual', { metadata: { name: 'manual' }, target: {} });
    assert.deepEqual([noTarget.status, noTarget.json().message], [500, 'target.name: Required value']);
    const otherName = await bind('manual', { metadata: { name: 'web' }, target: { name: nodeName } });
    assert.deepEqual([otherName.status, otherName.json().message], [400, 'name in URL does not match name in Binding object']);

    const ok = await bind('manual', { metadata: { name: 'manual', uid: p.metadata.uid, annotations: { 'example.com/bound-by': 'hand' } }, target: { kind: 'Node', name: nodeName } });
    assert.equal(ok.status, 201);
    assert.deepEqual(ok.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    const bound = await pod('manual');
    assert.equal(bound.spec.nodeName, nodeName);
    assert.equal(bound.metadata.annotations['example.com/bound-by'], 'hand');
    assert.equal(bound.status.conditions.find((x: { type: string }) => x.type === 'PodScheduled').status, 'True');

    const again = await bind('manual', { metadata: { name: 'manual' }, target: { name: 'elsewhere' } });
    assert.equal(again.status, 409);
    assert.equal(again.json().reason, 'Conflict');
    assert.equal(again.json().message, `Operation cannot be fulfilled on pods/binding "manual": pod manual is already assigned to node "${nodeName}"`);

    const gone = await bind('nope', { metadata: { name: 'nope' }, target: { name: nodeName } });
    assert.deepEqual([gone.status, gone.json().message], [404, 'pods "nope" not found']);
  });

  it('lists pods/binding in discovery', opts, async () => {
    const resources = (await api(c, 'GET', '/api/v1')).json().resources as { name: string; kind: string; verbs: string[] }[];
    const binding = resources.find((r) => r.name === 'pods/binding');
    assert.deepEqual([binding?.kind, binding?.verbs], ['Binding', ['create']]);
  });
});
