import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../apiserver/registry/kobject.ts';
import { eventually, FakeCluster, refs, silentLog } from '../testing/fake-cluster.ts';
import { FakeEvents } from '../testing/fake-events.ts';
import { ReplicaSetController } from '../replicaset/replicaset-controller.ts';
import { DeploymentController } from './deployment-controller.ts';
import { computeHash } from './pod-template-hash.ts';

function setup(start = Date.parse('2025-01-01T01:00:00Z')) {
  const fake = new FakeCluster();
  const events = new FakeEvents();
  const clock = { now: start };
  const now = () => new Date(clock.now);
  const dc = new DeploymentController({
    client: fake,
    deployments: fake.informer(refs.deployments),
    replicaSets: fake.informer(refs.replicasets),
    pods: fake.informer(refs.pods),
    events,
    log: silentLog,
    now,
  });
  const rsc = new ReplicaSetController({ client: fake, replicaSets: fake.informer(refs.replicasets), pods: fake.informer(refs.pods), events: new FakeEvents(), log: silentLog, now });
  dc.controller.run();
  rsc.controller.run();
  const stop = async () => {
    await dc.controller.stop();
    await rsc.controller.stop();
  };
  return { fake, events, dc, rsc, clock, stop };
}

const deployment = (replicas: number, image = 'nginx:1.25', extra: Record<string, unknown> = {}): KObject => ({
  metadata: { name: 'web', namespace: 'shop', annotations: { 'kubernetes.io/change-cause': 'first' } },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
    ...extra,
  },
});

const rsList = (fake: FakeCluster) => fake.objects(refs.replicasets, 'shop').sort((a, b) => (a.metadata.annotations!['deployment.kubernetes.io/revision']! < b.metadata.annotations!['deployment.kubernetes.io/revision']! ? -1 : 1));
const dep = (fake: FakeCluster) => fake.find(refs.deployments, 'shop', 'web')!;

/** Plays the kubelet: every pending pod of the namespace becomes Running and Ready. */
function kubelet(fake: FakeCluster, at = '2025-01-01T00:00:00Z'): number {
  let n = 0;
  for (const p of fake.objects(refs.pods, 'shop')) {
    if (p.status?.phase === 'Running') continue;
    fake.seed(refs.pods, { ...p, spec: { ...p.spec, nodeName: 'n1' }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: at }] } });
    n++;
  }
  return n;
}

/** The kubelet deletes terminating pods at once (the fake deletes them already) and readies new ones until `done`. */
async function settle(fake: FakeCluster, done: () => boolean, timeoutMs = 3000): Promise<void> {
  await eventually(() => {
    kubelet(fake);
    return done();
  }, timeoutMs);
}

test('a new Deployment gets a ReplicaSet <name>-<hash> with revision 1, replica annotations, the hash label and a controller reference', async () => {
  const { fake, events, stop } = setup();
  try {
    const d = fake.seed(refs.deployments, deployment(3));
    await eventually(() => fake.objects(refs.pods, 'shop').length === 3);
    const [rs] = rsList(fake);
    const hash = computeHash(d.spec.template, undefined);
    assert.equal(rs!.metadata.name, `web-${hash}`);
    assert.deepEqual(rs!.metadata.labels, { app: 'web', 'pod-template-hash': hash });
    assert.deepEqual(rs!.spec.selector, { matchLabels: { app: 'web', 'pod-template-hash': hash } });
    assert.deepEqual(rs!.spec.template.metadata.labels, { app: 'web', 'pod-template-hash': hash });
    assert.deepEqual(rs!.metadata.annotations, {
      'kubernetes.io/change-cause': 'first',
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
    assert.deepEqual(rs!.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    for (const p of fake.objects(refs.pods, 'shop')) assert.equal(p.metadata.labels!['pod-template-hash'], hash);
    assert.deepEqual(events.lines, [`Normal ScalingReplicaSet Scaled up replica set web-${hash} from 0 to 3`]);
    await eventually(() => dep(fake).status?.replicas === 3);
    const cur = dep(fake);
    assert.equal(cur.metadata.annotations!['deployment.kubernetes.io/revision'], '1');
    const progressing = cur.status.conditions.find((c: KObject) => c.type === 'Progressing');
    assert.equal(progressing.reason, 'ReplicaSetUpdated');
    assert.equal(progressing.message, `ReplicaSet "web-${hash}" is progressing.`);
    const available = cur.status.conditions.find((c: KObject) => c.type === 'Available');
    assert.deepEqual([available.status, available.reason, available.message], ['False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.']);
    assert.equal(cur.status.unavailableReplicas, 3);

    await settle(fake, () => dep(fake).status?.availableReplicas === 3 && dep(fake).status.conditions.some((c: KObject) => c.reason === 'NewReplicaSetAvailable'));
    const done = dep(fake);
    assert.deepEqual(
      done.status.conditions.map((c: KObject) => [c.type, c.status, c.reason, c.message]),
      [
        ['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
        ['Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "web-${hash}" has successfully progressed.`],
      ],
    );
    assert.deepEqual(
      { ...done.status, conditions: undefined },
      { observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, conditions: undefined },
    );
  } finally {
    await stop();
  }
});

test('a new image rolls out within maxSurge/maxUnavailable, step by step as new pods become ready', async () => {
  const { fake, events, stop } = setup();
  try {
    fake.seed(refs.deployments, deployment(4));
    await settle(fake, () => dep(fake).status?.availableReplicas === 4);
    const first = rsList(fake)[0]!.metadata.name!;
    events.take();
    const cur = dep(fake);
    fake.seed(refs.deployments, { ...cur, spec: { ...cur.spec, template: { ...cur.spec.template, spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } } });
    // Nothing becomes ready yet: one surge pod, none removed (maxUnavailable 25% of 4 = 1: one old goes).
    await eventually(() => rsList(fake).length === 2 && fake.objects(refs.pods, 'shop').length === 5);
    const second = rsList(fake)[1]!.metadata.name!;
    assert.notEqual(first, second);
    await eventually(() => events.lines.length >= 2);
    assert.deepEqual(events.lines.slice(0, 2), [`Normal ScalingReplicaSet Scaled up replica set ${second} from 0 to 1`, `Normal ScalingReplicaSet Scaled down replica set ${first} from 4 to 3`]);
    await settle(fake, () => dep(fake).status?.updatedReplicas === 4 && dep(fake).status?.availableReplicas === 4 && dep(fake).status?.replicas === 4);
    const [old, neu] = rsList(fake);
    assert.equal(old!.spec.replicas, 0);
    assert.equal(neu!.spec.replicas, 4);
    assert.equal(neu!.metadata.annotations!['deployment.kubernetes.io/revision'], '2');
    assert.equal(dep(fake).metadata.annotations!['deployment.kubernetes.io/revision'], '2');
    // Every step kept at least 3 available and at most 5 pods.
    for (const line of events.lines) assert.match(line, /^Normal ScalingReplicaSet Scaled (up|down) replica set web-\w+ from \d to \d$/);
    assert.equal(events.lines.at(-1), `Normal ScalingReplicaSet Scaled down replica set ${first} from 1 to 0`);

    // Rolling back to the first template reuses its ReplicaSet, now revision 3 with history "1".
    events.take();
    const now2 = dep(fake);
    fake.seed(refs.deployments, { ...now2, spec: { ...now2.spec, template: deployment(4).spec.template } });
    await settle(fake, () => rsList(fake).find((rs) => rs.metadata.name === first)?.spec.replicas === 4 && dep(fake).status?.updatedReplicas === 4 && dep(fake).status?.replicas === 4);
    const back = fake.find(refs.replicasets, 'shop', first)!;
    assert.equal(back.metadata.annotations!['deployment.kubernetes.io/revision'], '3');
    assert.equal(back.metadata.annotations!['deployment.kubernetes.io/revision-history'], '1');
    assert.equal(rsList(fake).length, 2);
    assert.equal(events.lines[0], `Normal ScalingReplicaSet Scaled up replica set ${first} from 0 to 1`);
  } finally {
    await stop();
  }
});

test('scaling a Deployment scales its only ReplicaSet and updates the replica annotations', async () => {
  const { fake, events, stop } = setup();
  try {
    fake.seed(refs.deployments, deployment(2));
    await settle(fake, () => dep(fake).status?.availableReplicas === 2);
    const name = rsList(fake)[0]!.metadata.name;
    const cur = dep(fake);
    fake.seed(refs.deployments, { ...cur, spec: { ...cur.spec, replicas: 5 } });
    await settle(fake, () => dep(fake).status?.availableReplicas === 5);
    assert.deepEqual(events.lines, [`Normal ScalingReplicaSet Scaled up replica set ${name} from 0 to 2`, `Normal ScalingReplicaSet Scaled up replica set ${name} from 2 to 5`]);
    const rs = rsList(fake)[0]!;
    assert.equal(rs.metadata.annotations!['deployment.kubernetes.io/desired-replicas'], '5');
    assert.equal(rs.metadata.annotations!['deployment.kubernetes.io/max-replicas'], '7');
    const down = dep(fake);
    fake.seed(refs.deployments, { ...down, spec: { ...down.spec, replicas: 1 } });
    await eventually(() => fake.objects(refs.pods, 'shop').length === 1);
    assert.equal(events.lines.at(-1), `Normal ScalingReplicaSet Scaled down replica set ${name} from 5 to 1`);
  } finally {
    await stop();
  }
});

test('mid-rollout scaling is spread proportionally over the active ReplicaSets', async () => {
  const { fake, stop } = setup();
  try {
    fake.seed(refs.deployments, deployment(10, 'nginx:1.25', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } }));
    await settle(fake, () => dep(fake).status?.availableReplicas === 10);
    const cur = dep(fake);
    // A new template whose pods never become ready: the rollout stops at 13 pods (8 old + 5 new).
    fake.seed(refs.deployments, { ...cur, spec: { ...cur.spec, template: { ...cur.spec.template, spec: { containers: [{ name: 'web', image: 'broken' }] } } } });
    await eventually(() => rsList(fake).length === 2 && rsList(fake)[0]!.spec.replicas === 8 && rsList(fake)[1]!.spec.replicas === 5);
    const mid = dep(fake);
    fake.seed(refs.deployments, { ...mid, spec: { ...mid.spec, replicas: 20 } });
    // 23 allowed, 13 there: +10 spread as 8/13 and 5/13 of the old maximum (13): old 8→14 (+6), new 5→9 (+4).
    await eventually(() => rsList(fake)[0]!.spec.replicas + rsList(fake)[1]!.spec.replicas === 23);
    assert.deepEqual(rsList(fake).map((rs) => rs.spec.replicas), [14, 9]);
  } finally {
    await stop();
  }
});

test('Recreate: old pods go first, the new ReplicaSet starts only once none is left', async () => {
  const { fake, events, stop } = setup();
  try {
    fake.seed(refs.deployments, deployment(2, 'nginx:1.25', { strategy: { type: 'Recreate' } }));
    await settle(fake, () => dep(fake).status?.availableReplicas === 2);
    const first = rsList(fake)[0]!.metadata.name;
    events.take();
    const cur = dep(fake);
    fake.seed(refs.deployments, { ...cur, spec: { ...cur.spec, template: { ...cur.spec.template, spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } } });
    await settle(fake, () => rsList(fake).length === 2 && rsList(fake)[1]!.status?.availableReplicas === 2 && dep(fake).status?.availableReplicas === 2);
    const second = rsList(fake)[1]!.metadata.name;
    assert.deepEqual(events.lines, [`Normal ScalingReplicaSet Scaled down replica set ${first} from 2 to 0`, `Normal ScalingReplicaSet Scaled up replica set ${second} from 0 to 2`]);
  } finally {
    await stop();
  }
});

test('paused Deployments do not roll out; Progressing is Unknown with DeploymentPaused, then DeploymentResumed', async () => {
  const { fake, stop } = setup();
  try {
    fake.seed(refs.deployments, deployment(1));
    await settle(fake, () => dep(fake).status?.availableReplicas === 1);
    let cur = dep(fake);
    fake.seed(refs.deployments, { ...cur, spec: { ...cur.spec, paused: true } });
    await eventually(() => dep(fake).status.conditions.some((c: KObject) => c.reason === 'DeploymentPaused'));
    const p = dep(fake).status.conditions.find((c: KObject) => c.type === 'Progressing');
    assert.deepEqual([p.status, p.message], ['Unknown', 'Deployment is paused']);
    cur = dep(fake);
    fake.seed(refs.deployments, { ...cur, spec: { ...cur.spec, template: { ...cur.spec.template, spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } } });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(rsList(fake).length, 1);
    cur = dep(fake);
    fake.seed(refs.deployments, { ...cur, spec: { ...cur.spec, paused: false } });
    await settle(fake, () => rsList(fake).length === 2 && dep(fake).status?.updatedReplicas === 1 && dep(fake).status?.replicas === 1);
  } finally {
    await stop();
  }
});

test('progressDeadlineSeconds: no progress for longer than the deadline is ProgressDeadlineExceeded', async () => {
  const { fake, clock, dc, stop } = setup();
  try {
    fake.seed(refs.deployments, deployment(1, 'nginx:1.25', { progressDeadlineSeconds: 60 }));
    await eventually(() => dep(fake).status?.replicas === 1);
    clock.now += 61_000;
    await dc.sync('shop/web');
    const p = dep(fake).status.conditions.find((c: KObject) => c.type === 'Progressing');
    assert.deepEqual([p.status, p.reason, p.message], ['False', 'ProgressDeadlineExceeded', `ReplicaSet "${rsList(fake)[0]!.metadata.name}" has timed out progressing.`]);
  } finally {
    await stop();
  }
});

test('revisionHistoryLimit: the oldest empty ReplicaSets are deleted once a rollout completes', async () => {
  const { fake, stop } = setup();
  try {
    fake.seed(refs.deployments, deployment(1, 'v1', { revisionHistoryLimit: 1 }));
    for (const image of ['v2', 'v3']) {
      await settle(fake, () => dep(fake).status?.availableReplicas === 1 && dep(fake).status?.replicas === 1 && dep(fake).status?.updatedReplicas === 1);
      const cur = dep(fake);
      fake.seed(refs.deployments, { ...cur, spec: { ...cur.spec, template: { ...cur.spec.template, spec: { containers: [{ name: 'web', image }] } } } });
    }
    await settle(fake, () => rsList(fake).length === 2 && rsList(fake)[1]!.spec.template.spec.containers[0].image === 'v3' && dep(fake).status?.updatedReplicas === 1);
    assert.deepEqual(rsList(fake).map((rs) => rs.metadata.annotations!['deployment.kubernetes.io/revision']), ['2', '3']);
  } finally {
    await stop();
  }
});

test('the deprecated rollback annotation rolls back to the previous revision', async () => {
  const { fake, events, stop } = setup();
  try {
    fake.seed(refs.deployments, deployment(1, 'v1'));
    await settle(fake, () => dep(fake).status?.availableReplicas === 1);
    let cur = dep(fake);
    fake.seed(refs.deployments, { ...cur, spec: { ...cur.spec, template: { ...cur.spec.template, spec: { containers: [{ name: 'web', image: 'v2' }] } } } });
    await settle(fake, () => dep(fake).status?.updatedReplicas === 1 && dep(fake).status?.replicas === 1 && rsList(fake).length === 2);
    cur = dep(fake);
    fake.seed(refs.deployments, { ...cur, metadata: { ...cur.metadata, annotations: { ...cur.metadata.annotations, 'deprecated.deployment.rollback.to': '0' } } });
    await eventually(() => dep(fake).spec.template.spec.containers[0].image === 'v1');
    assert.equal(dep(fake).metadata.annotations!['deprecated.deployment.rollback.to'], undefined);
    await eventually(() => events.lines.includes('Normal DeploymentRollback Rolled back deployment "web" to revision 1'));
  } finally {
    await stop();
  }
});
