import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeCluster, refs } from '../controllers/testing/fake-cluster.ts';
import type { KubeClient } from '../client/client.ts';
import type { ImageSpec } from './runtime/runtime.ts';
import { FakeRuntime } from './pod-worker-fake-runtime.ts';
import { PodWorker, type PodWorkerDeps } from './pod-worker.ts';
import { ImageManager } from './pod-worker-images.ts';
import { Backoff } from './pod-worker-backoff.ts';
import type { Pod, PodStatus } from './pod-worker-types.ts';
import { EventRecorder } from './status/events.ts';
import { StatusManager } from './status/status-manager.ts';
import { VolumeManager } from './volumes/volume-manager.ts';
import { ServiceAccountTokens } from './volumes/service-account-token.ts';
import type { ProbeRunner } from './probes/probe-manager.ts';

const quiet = { info() {}, error() {}, debug() {} };

const image = (over: Partial<ImageSpec> = {}): ImageSpec => ({ ref: 'busybox', rootfs: '/', entrypoint: ['sh'], cmd: [], workingDir: '/', env: { PATH: '/bin' }, user: 0, ...over });

interface Harness {
  cluster: FakeCluster;
  runtime: FakeRuntime;
  worker: PodWorker;
  pod: Pod;
  sync(): Promise<void>;
  status(): PodStatus;
  events(): string[];
  clock: { t: number };
  deps: PodWorkerDeps;
}

async function harness(t: { after(fn: () => Promise<void> | void): void }, podSpec: Partial<Pod['spec']>, opts: { probeRunner?: ProbeRunner; images?: Record<string, ImageSpec> } = {}): Promise<Harness> {
  const root = await mkdtemp(join(tmpdir(), 'podworker-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const cluster = new FakeCluster();
  cluster.seed(refs.services, { metadata: { namespace: 'default', name: 'kubernetes' }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443 }] } });
  cluster.seed(refs.configmaps, { metadata: { namespace: 'shop', name: 'cfg' }, data: { 'app.yaml': 'env: prod\n' } });
  cluster.seed(refs.configmaps, { metadata: { namespace: 'shop', name: 'kube-root-ca.crt' }, data: { 'ca.crt': 'PEM' } });
  cluster.seed(refs.secrets, { metadata: { namespace: 'shop', name: 'sec' }, data: { password: Buffer.from('hunter2').toString('base64') } });
  const seeded = cluster.seed(refs.pods, {
    metadata: { namespace: 'shop', name: 'web' },
    spec: { containers: [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 3600'] }], restartPolicy: 'Always', terminationGracePeriodSeconds: 30, enableServiceLinks: true, nodeName: 'node-a', ...podSpec },
    status: { phase: 'Pending', qosClass: 'BestEffort' },
  }) as Pod;
  const runtime = new FakeRuntime();
  const client = cluster as unknown as KubeClient;
  const clock = { t: Date.now() };
  const images = opts.images ?? { 'busybox:1.36': image(), 'node:24': image({ ref: 'node:24', user: 1000 }) };
  const find = (ns: string, name: string, ref: typeof refs.configmaps) => cluster.find(ref, ns, name);
  const deps: PodWorkerDeps = {
    runtime,
    images: new ImageManager({
      present: async (ref) => images[ref],
      pull: async (ref) => {
        if (images[ref]) return images[ref];
        throw new Error(`failed to resolve reference "docker.io/library/${ref}": not found`);
      },
    }),
    volumes: new VolumeManager(join(root, 'pods'), {
      configMap: async (ns, n) => find(ns, n, refs.configmaps) as never,
      secret: async (ns, n) => find(ns, n, refs.secrets) as never,
      serviceAccount: async () => ({}),
      tokens: new ServiceAccountTokens({ request: async () => ({ status: { token: 'tok', expirationTimestamp: new Date(Date.now() + 3600_000).toISOString() } }) } as never),
      allocatable: { cpu: '2', memory: '4Gi' },
    }),
    status: new StatusManager(client, quiet),
    events: new EventRecorder(client, 'node-a', quiet),
    env: {
      configMap: async (ns, n) => find(ns, n, refs.configmaps) as never,
      secret: async (ns, n) => find(ns, n, refs.secrets) as never,
      services: () => cluster.objects(refs.services) as never,
      podIPs: [],
      hostIPs: [],
      allocatable: { cpu: '2', memory: '4Gi' },
    },
    dns: { clusterDNS: ['10.96.0.10'], clusterDomain: 'cluster.local', hostResolvConf: 'nameserver 1.1.1.1\n' },
    nodeHosts: () => '',
    hostIPs: () => ['192.168.0.2'],
    memoryCapacity: 4 * 1024 ** 3,
    crashBackoff: new Backoff(10_000, 300_000, { now: () => clock.t }),
    logsRoot: join(root, 'logs'),
    agentStartedAt: 0,
    log: quiet,
    onFinished: () => {},
    probeRunner: opts.probeRunner,
    resyncMs: 3_600_000,
    errorRetryMs: 3_600_000,
  };
  const worker = new PodWorker(seeded, deps);
  t.after(() => worker.dispose());
  const h: Harness = {
    cluster,
    runtime,
    worker,
    pod: seeded,
    clock,
    deps,
    async sync() {
      worker.requestSync();
      await worker.idle();
      await deps.status.flush();
      await (deps.events as EventRecorder).flush();
    },
    status: () => (cluster.find(refs.pods, 'shop', 'web')?.status ?? {}) as PodStatus,
    events: () => cluster.objects(refs.events).map((e) => `${e.type} ${e.reason} ${e.involvedObject.fieldPath ?? ''} ${e.message} x${e.count}`.replace('  ', ' ')),
  };
  return h;
}

test('a pod runs: sandbox, events, env, mounts, Running and Ready with ids', async (t) => {
  const h = await harness(t, {
    containers: [
      {
        name: 'app',
        image: 'busybox:1.36',
        command: ['sh', '-c', 'echo $(GREETING) && sleep 3600'],
        env: [{ name: 'GREETING', value: 'hi' }, { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'sec', key: 'password' } } }],
        volumeMounts: [{ name: 'config', mountPath: '/app/config' }],
        terminationMessagePath: '/dev/termination-log',
      },
    ],
    volumes: [{ name: 'config', configMap: { name: 'cfg' } }],
  });
  await h.sync();
  const c = h.runtime.byName('app')!;
  assert.equal(c.status.state, 'running');
  assert.deepEqual(c.config.argv, ['sh', '-c', 'echo hi && sleep 3600']);
  const env = Object.fromEntries(c.config.env);
  assert.equal(env.PASSWORD, 'hunter2');
  assert.equal(env.KUBERNETES_SERVICE_HOST, '10.96.0.1');
  assert.equal(env.HOSTNAME, 'web');
  assert.equal(env.PATH, '/bin');
  const mounts = Object.fromEntries(c.config.mounts.map((m) => [m.containerPath, m]));
  assert.equal(await readFile(join(mounts['/app/config'].hostPath, 'app.yaml'), 'utf8'), 'env: prod\n');
  assert.equal(mounts['/app/config'].readOnly, true);
  assert.match(await readFile(mounts['/etc/hosts'].hostPath, 'utf8'), /\n10\.244\.0\.2\tweb\n$/);
  assert.equal(await readFile(join(mounts['/var/run/secrets/kubernetes.io/serviceaccount'].hostPath, 'namespace'), 'utf8'), 'shop');
  assert.ok(mounts['/dev/termination-log']);
  const sb = [...h.runtime.sandboxes.values()][0];
  assert.equal(sb.config.etcFiles.resolvConf, 'search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
  assert.equal(sb.config.hostname, 'web');
  assert.equal(sb.config.qosClass, 'BestEffort');

  const s = h.status();
  assert.equal(s.phase, 'Running');
  assert.equal(s.podIP, '10.244.0.2');
  assert.equal(s.hostIP, '192.168.0.2');
  const cs = s.containerStatuses![0];
  assert.equal(cs.ready, true);
  assert.equal(cs.started, true);
  assert.equal(cs.containerID, `dabba://${c.id}`);
  assert.equal(cs.image, 'docker.io/library/busybox:1.36');
  assert.match(cs.imageID, /^docker\.io\/library\/busybox@sha256:[0-9a-f]{64}$/);
  assert.deepEqual(s.conditions!.map((x) => `${x.type}=${x.status}`), ['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
  assert.deepEqual(h.events(), [
    'Normal Pulled spec.containers{app} Container image "busybox:1.36" already present on machine x1',
    'Normal Created spec.containers{app} Created container: app x1',
    'Normal Started spec.containers{app} Started container app x1',
  ]);
});

test("seed 10: a missing ConfigMap key keeps the container in CreateContainerConfigError", async (t) => {
  const h = await harness(t, {
    containers: [{ name: 'order-service', image: 'busybox:1.36', env: [{ name: 'APP_ENV', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'environment' } } }] }],
  });
  await h.sync();
  const s = h.status();
  assert.equal(s.phase, 'Pending');
  assert.deepEqual(s.containerStatuses![0].state, { waiting: { reason: 'CreateContainerConfigError', message: "couldn't find key environment in ConfigMap shop/cfg" } });
  assert.ok(h.events().includes("Warning Failed spec.containers{order-service} Error: couldn't find key environment in ConfigMap shop/cfg x1"));
  await h.sync();
  assert.ok(h.events().includes("Warning Failed spec.containers{order-service} Error: couldn't find key environment in ConfigMap shop/cfg x2"), 'repeats are counted on one event');
  assert.equal(h.runtime.containers.size, 0);
});

test('a crashing container restarts at once, then waits in CrashLoopBackOff (10s, 20s)', async (t) => {
  const h = await harness(t, {});
  await h.sync();
  const first = h.runtime.byName('app')!;
  h.runtime.exit(first.id, 1);
  await h.sync();
  const second = h.runtime.byName('app')!;
  assert.notEqual(second.id, first.id);
  assert.equal(h.status().containerStatuses![0].restartCount, 1);
  assert.equal(h.status().containerStatuses![0].lastState.terminated?.reason, 'Error');
  h.runtime.exit(second.id, 1);
  await h.sync();
  const cs = h.status().containerStatuses![0];
  assert.deepEqual(cs.state.waiting, { reason: 'CrashLoopBackOff', message: `back-off 10s restarting failed container=app pod=web_shop(${h.pod.metadata.uid})` });
  assert.equal(cs.lastState.terminated?.exitCode, 1);
  assert.equal(cs.restartCount, 1);
  assert.ok(h.events().some((e) => e === `Warning BackOff spec.containers{app} Back-off restarting failed container app in pod web_shop(${h.pod.metadata.uid}) x1`));
  h.clock.t = Date.now() + 10_500;
  await h.sync();
  const third = h.runtime.byName('app')!;
  assert.equal(third.status.state, 'running');
  assert.equal(h.status().containerStatuses![0].restartCount, 2);
  assert.equal(h.runtime.containers.size, 2, 'only the running and the previous container are kept');
  h.runtime.exit(third.id, 1);
  await h.sync();
  assert.match(h.status().containerStatuses![0].state.waiting!.message!, /^back-off 20s /);
});

test('OOMKilled with restartPolicy Never ends the pod Failed and releases the sandbox', async (t) => {
  const h = await harness(t, { restartPolicy: 'Never', containers: [{ name: 'app', image: 'busybox:1.36', resources: { limits: { memory: '64Mi' }, requests: { memory: '64Mi' } } }] });
  await h.sync();
  const c = h.runtime.byName('app')!;
  assert.equal(c.config.resources.memoryLimitBytes, 64 * 1024 * 1024);
  h.runtime.exit(c.id, 137, 'OOMKilled');
  await h.sync();
  const s = h.status();
  assert.equal(s.phase, 'Failed');
  assert.equal(s.containerStatuses![0].state.terminated?.reason, 'OOMKilled');
  assert.equal(s.containerStatuses![0].state.terminated?.exitCode, 137);
  assert.ok(h.runtime.calls.some((x) => x.startsWith('stopPodSandbox')));
});

test("a finished pod's container logs stay readable after its sandbox is removed (kubectl logs of a completed Job's pod)", async (t) => {
  const h = await harness(t, { restartPolicy: 'Never' });
  // As CRI's RemovePodSandbox (and both real runtimes): the sandbox's containers go with it.
  const remove = h.runtime.removePodSandbox.bind(h.runtime);
  h.runtime.removePodSandbox = async (id) => {
    await remove(id);
    for (const x of [...h.runtime.containers.values()]) if (x.sandboxId === id) h.runtime.containers.delete(x.id);
  };
  await h.sync();
  const c = h.runtime.byName('app')!;
  await writeFile(c.config.logPath, '2025-01-01T00:00:00.000000000Z stdout F index 0\n');
  h.runtime.exit(c.id, 0);
  await h.sync();
  assert.equal(h.status().phase, 'Succeeded');
  assert.ok(h.runtime.calls.some((x) => x.startsWith('removePodSandbox')));
  const target = h.worker.logFile('app', false);
  assert.ok('path' in target, JSON.stringify(target));
  assert.match(await readFile(target.path, 'utf8'), /index 0/);
});

test('init containers run one after the other before the app; a failed one fails a Never pod', async (t) => {
  const h = await harness(t, { initContainers: [{ name: 'one', image: 'busybox:1.36' }, { name: 'two', image: 'busybox:1.36' }] });
  await h.sync();
  assert.deepEqual(h.runtime.calls.filter((c) => c.startsWith('startContainer')), ['startContainer one']);
  assert.deepEqual(h.status().containerStatuses![0].state, { waiting: { reason: 'PodInitializing' } });
  h.runtime.exit(h.runtime.byName('one')!.id, 0);
  await h.sync();
  h.runtime.exit(h.runtime.byName('two')!.id, 0);
  await h.sync();
  assert.deepEqual(h.runtime.calls.filter((c) => c.startsWith('startContainer')), ['startContainer one', 'startContainer two', 'startContainer app']);
  const s = h.status();
  assert.equal(s.phase, 'Running');
  assert.deepEqual(s.initContainerStatuses!.map((x) => [x.name, x.state.terminated?.reason, x.ready]), [['one', 'Completed', true], ['two', 'Completed', true]]);

  const n = await harness(t, { restartPolicy: 'Never', initContainers: [{ name: 'migrate', image: 'busybox:1.36' }] });
  await n.sync();
  n.runtime.exit(n.runtime.byName('migrate')!.id, 3);
  await n.sync();
  assert.equal(n.status().phase, 'Failed');
  assert.equal(n.runtime.byName('app'), undefined);
});

test('a failing liveness probe restarts the container with the Killing message', async (t) => {
  let healthy = true;
  const h = await harness(
    t,
    { containers: [{ name: 'app', image: 'busybox:1.36', livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1, failureThreshold: 1 } }] },
    { probeRunner: async () => (healthy ? { result: 'success', output: '' } : { result: 'failure', output: 'HTTP probe failed with statuscode: 500' }) },
  );
  await h.sync();
  const first = h.runtime.byName('app')!;
  healthy = false;
  for (let i = 0; i < 40 && h.runtime.byName('app')!.id === first.id; i++) {
    await new Promise((r) => setTimeout(r, 100));
    await h.worker.idle();
  }
  healthy = true;
  await h.sync();
  assert.notEqual(h.runtime.byName('app')!.id, first.id);
  assert.ok(h.runtime.calls.includes('stopContainer app 30'));
  const ev = h.events();
  assert.ok(ev.includes('Warning Unhealthy spec.containers{app} Liveness probe failed: HTTP probe failed with statuscode: 500 x1'), ev.join('\n'));
  assert.ok(ev.includes('Normal Killing spec.containers{app} Container app failed liveness probe, will be restarted x1'), ev.join('\n'));
  assert.equal(h.status().containerStatuses![0].restartCount, 1);
});

test('graceful deletion: preStop, SIGTERM with the grace period, then the object is deleted with grace 0', async (t) => {
  const execs: string[][] = [];
  const h = await harness(t, { terminationGracePeriodSeconds: 20, containers: [{ name: 'app', image: 'busybox:1.36', lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 1'] } } } }] });
  h.runtime.onExec = (_c, argv) => {
    execs.push(argv);
    return { code: 0 };
  };
  await h.sync();
  const deleting = { ...h.worker.pod, metadata: { ...h.worker.pod.metadata, deletionTimestamp: new Date().toISOString(), deletionGracePeriodSeconds: 20 } };
  h.worker.update(deleting);
  await h.worker.idle();
  assert.deepEqual(execs, [['sh', '-c', 'sleep 1']]);
  assert.ok(h.runtime.calls.includes('stopContainer app 20'), h.runtime.calls.join('\n'));
  assert.ok(h.events().includes('Normal Killing spec.containers{app} Stopping container app x1'));
  const del = h.cluster.actions.find((a) => a.verb === 'delete' && a.resource === 'pods');
  assert.deepEqual(del?.body, { gracePeriodSeconds: 0, preconditions: { uid: h.pod.metadata.uid } });
  assert.equal(h.runtime.containers.size, 0);
  assert.equal(h.runtime.sandboxes.size, 0);
  await assert.rejects(stat(h.worker.podDir));
  assert.equal(h.worker.finished, true);
});

test('image errors: ErrImagePull then ImagePullBackOff; ErrImageNeverPull', async (t) => {
  const h = await harness(t, { containers: [{ name: 'app', image: 'swiggy/order-service:v2.1.0', imagePullPolicy: 'IfNotPresent' }] });
  await h.sync();
  assert.deepEqual(h.status().containerStatuses![0].state.waiting, { reason: 'ErrImagePull', message: 'failed to resolve reference "docker.io/library/swiggy/order-service:v2.1.0": not found' });
  await h.sync();
  assert.deepEqual(h.status().containerStatuses![0].state.waiting, { reason: 'ImagePullBackOff', message: 'Back-off pulling image "swiggy/order-service:v2.1.0"' });
  const ev = h.events();
  assert.ok(ev.includes('Normal Pulling spec.containers{app} Pulling image "swiggy/order-service:v2.1.0" x1'));
  assert.ok(ev.includes('Warning Failed spec.containers{app} Error: ErrImagePull x1'));
  assert.ok(ev.includes('Normal BackOff spec.containers{app} Back-off pulling image "swiggy/order-service:v2.1.0" x1'));
  assert.ok(ev.includes('Warning Failed spec.containers{app} Error: ImagePullBackOff x1'));

  const n = await harness(t, { containers: [{ name: 'app', image: 'missing:1', imagePullPolicy: 'Never' }] });
  await n.sync();
  assert.deepEqual(n.status().containerStatuses![0].state.waiting, { reason: 'ErrImageNeverPull', message: 'Container image "missing:1" is not present with pull policy of Never' });
});

test('runAsNonRoot with an image that runs as root', async (t) => {
  const h = await harness(t, { securityContext: { runAsNonRoot: true } });
  await h.sync();
  assert.deepEqual(h.status().containerStatuses![0].state.waiting, {
    reason: 'CreateContainerConfigError',
    message: `container has runAsNonRoot and image will run as root (pod: "web_shop(${h.pod.metadata.uid})", container: app)`,
  });
  const ok = await harness(t, { securityContext: { runAsNonRoot: true, runAsUser: 1000, fsGroup: 2000 }, containers: [{ name: 'app', image: 'busybox:1.36', securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } } }] });
  await ok.sync();
  assert.deepEqual(ok.runtime.byName('app')!.config.security, {
    runAsUser: 1000,
    runAsGroup: undefined,
    supplementalGroups: [2000],
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilitiesAdd: [],
    capabilitiesDrop: ['ALL'],
  });
});

test('a restarted agent re-adopts the running container instead of starting another', async (t) => {
  const h = await harness(t, {});
  await h.sync();
  const c = h.runtime.byName('app')!;
  const { sandboxes, containers } = await h.runtime.list();
  h.worker.dispose();
  const again = new PodWorker(h.worker.pod, h.deps);
  await again.adopt(sandboxes, containers);
  again.requestSync();
  await again.idle();
  again.dispose();
  assert.equal(h.runtime.containers.size, 1);
  assert.equal(h.runtime.byName('app')!.id, c.id);
  assert.equal(h.runtime.calls.filter((x) => x.startsWith('runPodSandbox')).length, 1);
});

test('eviction fails the pod with reason Evicted and a DisruptionTarget condition', async (t) => {
  const h = await harness(t, {});
  await h.sync();
  h.worker.fail('Evicted', 'The node was low on resource: memory. ', { gracePeriodSeconds: 0, disruption: true });
  await h.worker.idle();
  await h.sync();
  const s = h.status();
  assert.equal(s.phase, 'Failed');
  assert.equal(s.reason, 'Evicted');
  assert.equal(s.conditions!.find((c) => c.type === 'DisruptionTarget')?.reason, 'TerminationByKubelet');
  assert.ok(h.runtime.calls.includes('stopContainer app 2'));
  assert.ok(h.events().some((e) => e.startsWith('Warning Evicted') && e.includes('The node was low on resource: memory.')));
});


test('activeDeadlineSeconds fails the pod with DeadlineExceeded', async (t) => {
  const h = await harness(t, { activeDeadlineSeconds: 1 });
  await h.sync();
  assert.equal(h.status().phase, 'Running');
  await new Promise((r) => setTimeout(r, 1200));
  await h.worker.idle();
  await h.sync();
  const s = h.status();
  assert.deepEqual([s.phase, s.reason, s.message], ['Failed', 'DeadlineExceeded', 'Pod was active on the node longer than the specified deadline']);
  assert.equal(h.runtime.byName('app')!.status.state, 'exited');
  assert.ok(h.events().includes('Normal DeadlineExceeded Pod was active on the node longer than the specified deadline x1'), h.events().join('\n'));
});
