// ServiceAccount admission with real kubectl 1.27 and 1.33: a missing account refuses the pod (and a Deployment's
// ReplicaSet says so), while a pod applied together with its new namespace waits for the namespace's `default`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exists, kubectlPath, TestCluster } from '../cluster.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const pod = (name: string, namespace: string, serviceAccountName?: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  ${serviceAccountName ? `serviceAccountName: ${serviceAccountName}` : 'terminationGracePeriodSeconds: 0'}
  containers:
  - name: app
    image: busybox
    command: ["sleep", "3600"]
`;

const deployment = (name: string, serviceAccountName: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 1
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      serviceAccountName: ${serviceAccountName}
      terminationGracePeriodSeconds: 0
      containers:
      - name: app
        image: busybox
        command: ["sleep", "3600"]
`;

describe('ServiceAccount admission', async () => {
  const minors = [];
  for (const m of [27, 33]) if (await exists(kubectlPath(m))) minors.push(m);
  let c: TestCluster;
  before(async () => {
    if (minors.length) c = await TestCluster.start();
  });
  after(async () => {
    await c?.destroy();
  });

  for (const v of [27, 33]) {
    const skip = minors.includes(v) ? false : `skipped: kubectl 1.${v} not installed`;

    it(`kubectl 1.${v}: a pod naming a missing account is forbidden with upstream's message`, { skip }, async () => {
      const r = await c.kubectl(v, ['apply', '-f', '-'], pod(`lost-${v}`, 'default', 'foo'));
      assert.notEqual(r.code, 0);
      assert.equal(
        r.stderr.trim(),
        `Error from server (Forbidden): error when creating "STDIN": pods "lost-${v}" is forbidden: error looking up service account default/foo: serviceaccount "foo" not found`,
      );
      const run = await c.kubectl(v, ['run', `lost-run-${v}`, '--image=busybox', '--overrides={"apiVersion":"v1","spec":{"serviceAccountName":"nobody"}}', '--', 'sleep', '1']);
      assert.equal(
        run.stderr.trim(),
        `Error from server (Forbidden): pods "lost-run-${v}" is forbidden: error looking up service account default/nobody: serviceaccount "nobody" not found`,
      );
    });

    it(`kubectl 1.${v}: a Deployment whose template names a missing account shows why in its ReplicaSet's event and conditions`, { skip }, async () => {
      const name = `nosa-${v}`;
      const account = `robot-${v}`;
      assert.equal((await c.kubectl(v, ['apply', '-f', '-'], deployment(name, account))).code, 0);
      const message = new RegExp(`^pods "${name}-[a-z0-9]+-" is forbidden: error looking up service account default/${account}: serviceaccount "${account}" not found$`);
      let rs = '';
      let condition: { reason?: string; message?: string } = {};
      for (let i = 0; i < 100 && !condition.reason; i++) {
        rs = (await c.kubectl(v, ['get', 'rs', '-l', `app=${name}`, '-o', 'jsonpath={.items[0].metadata.name}'])).stdout;
        const got = rs ? (await c.kubectl(v, ['get', 'rs', rs, '-o', 'jsonpath={.status.conditions[?(@.type=="ReplicaFailure")]}'])).stdout : '';
        if (got) condition = JSON.parse(got);
        else await sleep(200);
      }
      assert.equal(condition.reason, 'FailedCreate');
      assert.match(condition.message ?? '', message);
      const events = (await c.kubectl(v, ['get', 'events', '--field-selector', `involvedObject.name=${rs},reason=FailedCreate`, '-o', 'jsonpath={.items[*].message}'])).stdout;
      assert.match(events, new RegExp(`^Error creating: ${message.source.slice(1, -1)}`));
      const deployCondition = JSON.parse((await c.kubectl(v, ['get', 'deploy', name, '-o', 'jsonpath={.status.conditions[?(@.type=="ReplicaFailure")]}'])).stdout || '{}');
      assert.equal(deployCondition.reason, 'FailedCreate');
      assert.match(deployCondition.message ?? '', message);

      // Once the account exists, the ReplicaSet's next attempt creates the pod.
      assert.equal((await c.kubectl(v, ['create', 'serviceaccount', account])).code, 0);
      let pods = '';
      for (let i = 0; i < 150 && !pods; i++) {
        pods = (await c.kubectl(v, ['get', 'pods', '-l', `app=${name}`, '-o', 'jsonpath={.items[*].spec.serviceAccountName}'])).stdout;
        if (!pods) await sleep(200);
      }
      assert.equal(pods, account);
      await c.kubectl(v, ['delete', 'deploy', name, '--wait=false']);
    });

    it(`kubectl 1.${v}: a pod applied with its new namespace gets the namespace's default account`, { skip }, async () => {
      const ns = `fresh-${v}`;
      const r = await c.kubectl(v, ['apply', '-f', '-'], `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n---\n${pod('first', ns)}`);
      assert.equal(r.code, 0, r.stderr);
      const got = await c.kubectl(v, ['get', 'pod', 'first', '-n', ns, '-o', 'jsonpath={.spec.serviceAccountName} {.spec.volumes[0].name}']);
      assert.match(got.stdout, /^default kube-api-access-[a-z0-9]{5}$/);
      await c.kubectl(v, ['delete', 'namespace', ns, '--wait=false']);
    });
  }
});
