// Deployments, ReplicaSets and Jobs on a real `dabba up` with kubectl 1.33 and 1.27; the test plays the kubelet by writing pod status.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { api, exists, kubectlPath, TestCluster } from '../cluster.ts';
import { computeHash } from '../../../src/controllers/deployment/pod-template-hash.ts';

/** Pods of these templates select no node, so only this test decides their status. */
const nowhere = { 'dabba.test/node': 'nowhere' };

const deploymentManifest = (name: string, image: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { nodeSelector: nowhere, containers: [{ name: 'app', image }] } },
      ...extra,
    },
  });

for (const minor of [33, 27]) {
  describe(`workload controllers with kubectl 1.${minor}`, async () => {
    const missing = !(await exists(kubectlPath(minor)));
    const opts = { skip: missing ? `skipped: kubectl 1.${minor} not installed` : false, timeout: 120_000 };
    let c: TestCluster;
    const k = (...args: string[]) => c.kubectl(minor, args);
    const ok = async (...args: string[]) => {
      const r = await k(...args);
      assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}`);
      return r.stdout;
    };
    const apply = async (manifest: string) => {
      const r = await c.kubectl(minor, ['apply', '-f', '-'], manifest);
      assert.equal(r.code, 0, r.stderr);
    };
    const getJson = async (path: string) => {
      const r = await api(c, 'GET', path);
      assert.equal(r.status, 200, r.body);
      return r.json();
    };
    const until = async (what: string, check: () => Promise<boolean>, ms = 30_000) => {
      const end = Date.now() + ms;
      while (!(await check())) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    /** The kubelet's part: every pod of the selector that is not Ready yet becomes Running and Ready. */
    const markReady = async (selector: string): Promise<number> => {
      const list = await getJson(`/api/v1/namespaces/default/pods?labelSelector=${encodeURIComponent(selector)}`);
      let n = 0;
      for (const p of list.items) {
        if (p.metadata.deletionTimestamp || p.status?.conditions?.some((x: { type: string; status: string }) => x.type === 'Ready' && x.status === 'True')) continue;
        const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
        const r = await api(c, 'PATCH', `/api/v1/namespaces/default/pods/${p.metadata.name}/status`, {
          body: { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } },
          headers: { 'Content-Type': 'application/merge-patch+json' },
        });
        if (r.status === 200) n++;
      }
      return n;
    };
    /** Keeps marking pods Ready while `work` runs (a rollout status waiting for them). */
    const whileReadying = async <T>(selector: string, work: Promise<T>): Promise<T> => {
      let done = false;
      const loop = (async () => {
        while (!done) {
          await markReady(selector).catch(() => 0);
          await new Promise((r) => setTimeout(r, 150));
        }
      })();
      try {
        return await work;
      } finally {
        done = true;
        await loop;
      }
    };
    const replicaSets = async (app: string) =>
      (await getJson(`/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3D${app}`)).items.sort(
        (a: { metadata: { annotations: Record<string, string> } }, b: { metadata: { annotations: Record<string, string> } }) =>
          Number(a.metadata.annotations['deployment.kubernetes.io/revision']) - Number(b.metadata.annotations['deployment.kubernetes.io/revision']),
      );

    before(async () => {
      if (!missing) c = await TestCluster.start();
    });
    after(async () => {
      await c?.destroy();
    });

    it('create deployment: a ReplicaSet <name>-<pod-template-hash> and pods <rs>-<5 chars> owned by it', opts, async () => {
      assert.equal((await ok('create', 'deployment', 'hello', '--image=busybox', '--replicas=2')).trim(), 'deployment.apps/hello created');
      await until('two pods', async () => (await getJson('/api/v1/namespaces/default/pods?labelSelector=app%3Dhello')).items.length === 2);
      const d = await getJson('/apis/apps/v1/namespaces/default/deployments/hello');
      const [rs] = await replicaSets('hello');
      const hash = computeHash(d.spec.template, d.status.collisionCount);
      assert.equal(rs.metadata.name, `hello-${hash}`);
      assert.deepEqual(rs.metadata.labels, { app: 'hello', 'pod-template-hash': hash });
      assert.deepEqual(rs.spec.selector, { matchLabels: { app: 'hello', 'pod-template-hash': hash } });
      assert.deepEqual(rs.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'hello', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }]);
      assert.equal(rs.metadata.annotations['deployment.kubernetes.io/revision'], '1');
      assert.equal(rs.metadata.annotations['deployment.kubernetes.io/desired-replicas'], '2');
      assert.equal(rs.metadata.annotations['deployment.kubernetes.io/max-replicas'], '3');
      const pods = await getJson('/api/v1/namespaces/default/pods?labelSelector=app%3Dhello');
      for (const p of pods.items) {
        assert.match(p.metadata.name, new RegExp(`^hello-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
        assert.equal(p.metadata.generateName, `hello-${hash}-`);
        assert.deepEqual(p.metadata.labels, { app: 'hello', 'pod-template-hash': hash });
        assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
      }
      await until('the revision on the Deployment', async () => (await getJson('/apis/apps/v1/namespaces/default/deployments/hello')).metadata.annotations?.['deployment.kubernetes.io/revision'] === '1');
      assert.equal((await getJson('/apis/apps/v1/namespaces/default/deployments/hello')).metadata.generation, 1);
      const events = await ok('get', 'events', '--field-selector', 'involvedObject.kind=Deployment,involvedObject.name=hello', '-o', 'jsonpath={.items[*].message}');
      assert.equal(events, `Scaled up replica set hello-${hash} from 0 to 2`);
      const rsEvents = await ok('get', 'events', '--field-selector', `involvedObject.name=${rs.metadata.name}`, '-o', 'jsonpath={range .items[*]}{.reason} {.message}{"\\n"}{end}');
      assert.deepEqual(
        rsEvents.trim().split('\n').sort(),
        pods.items.map((p: { metadata: { name: string } }) => `SuccessfulCreate Created pod: ${p.metadata.name}`).sort(),
      );
    });

    it('rolls out as pods become ready: rollout status, scale, set image step by step, history and undo', opts, async () => {
      await apply(deploymentManifest('web', 'nginx:1.25'));
      const status = await whileReadying('app=web', k('rollout', 'status', 'deployment/web', '--timeout=60s'));
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, /deployment "web" successfully rolled out/);
      let d = await getJson('/apis/apps/v1/namespaces/default/deployments/web');
      assert.deepEqual(
        d.status.conditions.map((x: { type: string; reason: string }) => `${x.type}/${x.reason}`),
        ['Available/MinimumReplicasAvailable', 'Progressing/NewReplicaSetAvailable'],
      );
      assert.deepEqual([d.status.replicas, d.status.updatedReplicas, d.status.readyReplicas, d.status.availableReplicas, d.status.observedGeneration], [3, 3, 3, 3, 1]);
      const table = (await ok('get', 'deployment', 'web')).split('\n')[1]!;
      assert.match(table, /^web\s+3\/3\s+3\s+3\s+/);

      await ok('scale', 'deployment/web', '--replicas=5');
      await whileReadying('app=web', until('5 available', async () => (await getJson('/apis/apps/v1/namespaces/default/deployments/web')).status.availableReplicas === 5));
      await ok('scale', 'deployment/web', '--replicas=3');
      await until('3 pods', async () => (await getJson('/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')).items.filter((p: { metadata: { deletionTimestamp?: string } }) => !p.metadata.deletionTimestamp).length === 3);

      const first = (await replicaSets('web'))[0];
      await ok('set', 'image', 'deployment/web', 'app=nginx:1.26');
      // Nothing is ready yet: maxSurge 25% of 3 rounds up to 1, maxUnavailable rounds down to 0.
      await until('the new ReplicaSet at 1', async () => (await replicaSets('web')).length === 2 && (await replicaSets('web'))[1].spec.replicas === 1);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal((await replicaSets('web'))[0].spec.replicas, 3);
      const rolled = await whileReadying('app=web', k('rollout', 'status', 'deployment/web', '--timeout=60s'));
      assert.equal(rolled.code, 0, rolled.stderr);
      const [old, neu] = await replicaSets('web');
      assert.equal(old.metadata.name, first.metadata.name);
      assert.deepEqual([old.spec.replicas, neu.spec.replicas], [0, 3]);
      assert.equal(neu.metadata.annotations['deployment.kubernetes.io/revision'], '2');
      const scaling = await ok('get', 'events', '--field-selector', 'involvedObject.kind=Deployment,involvedObject.name=web', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}');
      assert.match(scaling, new RegExp(`Scaled down replica set ${old.metadata.name} from 1 to 0`));
      assert.match(scaling, new RegExp(`Scaled up replica set ${neu.metadata.name} from 0 to 1`));

      const history = await ok('rollout', 'history', 'deployment/web');
      assert.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);

      const undo = await ok('rollout', 'undo', 'deployment/web');
      assert.match(undo, /deployment.apps\/web rolled back/);
      const back = await whileReadying('app=web', k('rollout', 'status', 'deployment/web', '--timeout=60s'));
      assert.equal(back.code, 0, back.stderr);
      d = await getJson('/apis/apps/v1/namespaces/default/deployments/web');
      assert.equal(d.spec.template.spec.containers[0].image, 'nginx:1.25');
      const after = await replicaSets('web');
      assert.equal(after.length, 2);
      const reused = after.find((rs: { metadata: { name: string } }) => rs.metadata.name === first.metadata.name);
      assert.equal(reused.metadata.annotations['deployment.kubernetes.io/revision'], '3');
      assert.equal(reused.metadata.annotations['deployment.kubernetes.io/revision-history'], '1');
      assert.equal(reused.spec.replicas, 3);
      assert.equal(d.metadata.annotations['deployment.kubernetes.io/revision'], '3');
    });

    it('Recreate scales the old ReplicaSet to zero before the new one starts; restart makes a new ReplicaSet', opts, async () => {
      await apply(deploymentManifest('batchy', 'busybox:1', { replicas: 2, strategy: { type: 'Recreate' } }));
      assert.equal((await whileReadying('app=batchy', k('rollout', 'status', 'deployment/batchy', '--timeout=60s'))).code, 0);
      await ok('rollout', 'restart', 'deployment/batchy');
      const r = await whileReadying('app=batchy', k('rollout', 'status', 'deployment/batchy', '--timeout=60s'));
      assert.equal(r.code, 0, r.stderr);
      const [old, neu] = await replicaSets('batchy');
      assert.ok(neu.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']);
      const msgs = (await ok('get', 'events', '--field-selector', 'involvedObject.kind=Deployment,involvedObject.name=batchy', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}')).trim().split('\n');
      const down = msgs.indexOf(`Scaled down replica set ${old.metadata.name} from 2 to 0`);
      const up = msgs.indexOf(`Scaled up replica set ${neu.metadata.name} from 0 to 2`);
      assert.ok(down >= 0 && up > down, msgs.join('\n'));
    });

    it('pause keeps the template from rolling out until resume', opts, async () => {
      await ok('rollout', 'pause', 'deployment/web');
      await ok('set', 'image', 'deployment/web', 'app=nginx:1.27');
      await until('Progressing Unknown DeploymentPaused', async () =>
        (await getJson('/apis/apps/v1/namespaces/default/deployments/web')).status.conditions.some((x: { reason: string; status: string }) => x.reason === 'DeploymentPaused' && x.status === 'Unknown'),
      );
      await new Promise((r) => setTimeout(r, 300));
      assert.equal((await replicaSets('web')).length, 2);
      await ok('rollout', 'resume', 'deployment/web');
      const r = await whileReadying('app=web', k('rollout', 'status', 'deployment/web', '--timeout=60s'));
      assert.equal(r.code, 0, r.stderr);
      assert.equal((await replicaSets('web')).length, 3);
    });

    it('a Job whose pod succeeds is Complete with COMPLETIONS 1/1; its pod lost the tracking finalizer', opts, async () => {
      await apply(
        JSON.stringify({
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: { name: 'once', namespace: 'default' },
          spec: { template: { spec: { nodeSelector: nowhere, restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['true'] }] } } },
        }),
      );
      let pod: { metadata: { name: string; finalizers?: string[]; generateName: string } } | undefined;
      await until('the Job pod', async () => {
        pod = (await getJson('/api/v1/namespaces/default/pods?labelSelector=job-name%3Donce')).items[0];
        return !!pod;
      });
      assert.equal(pod!.metadata.generateName, 'once-');
      assert.deepEqual(pod!.metadata.finalizers, ['batch.kubernetes.io/job-tracking']);
      assert.match((await ok('get', 'jobs', 'once')).split('\n')[1]!, /^once\s+Running\s+0\/1\s+/);
      const r = await api(c, 'PATCH', `/api/v1/namespaces/default/pods/${pod!.metadata.name}/status`, {
        body: { status: { phase: 'Succeeded', containerStatuses: [{ name: 'main', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] } },
        headers: { 'Content-Type': 'application/merge-patch+json' },
      });
      assert.equal(r.status, 200, r.body);
      await until('Complete', async () => /^once\s+Complete\s+1\/1\s+/.test((await ok('get', 'jobs', 'once')).split('\n')[1]!));
      const job = parse(await ok('get', 'job', 'once', '-o', 'yaml'));
      assert.deepEqual(
        job.status.conditions.map((x: { type: string; reason: string }) => `${x.type}/${x.reason}`),
        ['SuccessCriteriaMet/CompletionsReached', 'Complete/CompletionsReached'],
      );
      assert.equal(job.status.succeeded, 1);
      assert.ok(job.status.completionTime);
      assert.deepEqual(job.status.uncountedTerminatedPods, {});
      assert.equal((await getJson(`/api/v1/namespaces/default/pods/${pod!.metadata.name}`)).metadata.finalizers, undefined);
      const ev = await ok('get', 'events', '--field-selector', 'involvedObject.kind=Job,involvedObject.name=once', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}');
      assert.match(ev, new RegExp(`SuccessfulCreate: Created pod: ${pod!.metadata.name}`));
      assert.match(ev, /Completed: Job completed/);
    });
  });
}
