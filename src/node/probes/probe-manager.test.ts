import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { PodProbes, type ContainerView, type PodProbeHost, type ProbeType, type Result } from './probe-manager.ts';
import type { ProbeOutcome } from './prober.ts';
import type { Pod, Probe } from '../pod-worker-types.ts';

const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

function harness(probes: { liveness?: Probe; readiness?: Probe; startup?: Probe }, outcomes: ProbeOutcome[]) {
  const pod: Pod = {
    metadata: { name: 'p', namespace: 'n', uid: 'u' },
    spec: { containers: [{ name: 'app', livenessProbe: probes.liveness, readinessProbe: probes.readiness, startupProbe: probes.startup }], restartPolicy: 'Always' },
  };
  const view: ContainerView = { containerID: 'c1', running: true, startedAt: Date.now(), terminated: false, started: !probes.startup };
  const changes: [ProbeType, Result][] = [];
  const events: string[] = [];
  let runs = 0;
  const host: PodProbeHost = {
    container: () => view,
    podIP: () => '10.0.0.1',
    podTerminal: () => false,
    runtime: { exec: async () => assert.fail() },
    onResult: (type, _name, result) => changes.push([type, result]),
    event: (_c, _t, reason, message) => events.push(`${reason}: ${message}`),
  };
  const probesOf = new PodProbes(() => pod, host, 0, async () => outcomes[Math.min(runs++, outcomes.length - 1)]);
  return { view, changes, events, probes: probesOf, runs: () => runs };
}

test('liveness: three failures in a row (failureThreshold) flip the result, then hold until a new container', async (t) => {
  mock.timers.enable({ apis: ['setInterval', 'setTimeout', 'Date'], now: 1_000_000 });
  t.after(() => mock.timers.reset());
  const fail: ProbeOutcome = { result: 'failure', output: 'HTTP probe failed with statuscode: 500' };
  const h = harness({ liveness: { httpGet: { port: 80 }, periodSeconds: 2, failureThreshold: 3 } }, [fail]);
  await flush();
  assert.deepEqual(h.changes, [['Liveness', 'Success']]);
  assert.equal(h.runs(), 1);
  mock.timers.tick(2000);
  await flush();
  assert.equal(h.probes.result('app', 'Liveness', 'c1'), 'Success', 'two failures are below failureThreshold 3');
  mock.timers.tick(2000);
  await flush();
  assert.equal(h.probes.result('app', 'Liveness', 'c1'), 'Failure');
  assert.equal(h.events.length, 3);
  assert.equal(h.events[0], 'Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500');
  assert.deepEqual(h.changes.at(-1), ['Liveness', 'Failure']);
  mock.timers.tick(10_000);
  await flush();
  assert.equal(h.runs(), 3, 'on hold after a liveness failure');
  h.view.containerID = 'c2';
  mock.timers.tick(2000);
  await flush();
  assert.equal(h.probes.result('app', 'Liveness', 'c2'), 'Success');
  h.probes.stop();
});

test('readiness: initialDelaySeconds and successThreshold', async (t) => {
  mock.timers.enable({ apis: ['setInterval', 'setTimeout', 'Date'], now: 1_000_000 });
  t.after(() => mock.timers.reset());
  const ok: ProbeOutcome = { result: 'success', output: 'ok' };
  const h = harness({ readiness: { httpGet: { port: 80 }, initialDelaySeconds: 5, periodSeconds: 1, successThreshold: 2 } }, [ok]);
  await flush();
  assert.equal(h.probes.ready('app', 'c1'), false);
  for (let i = 0; i < 4; i++) {
    mock.timers.tick(1000);
    await flush();
  }
  assert.equal(h.runs(), 0, 'nothing before the initial delay');
  mock.timers.tick(1000);
  await flush();
  assert.equal(h.runs(), 1);
  assert.equal(h.probes.ready('app', 'c1'), false, 'one success is below successThreshold 2');
  mock.timers.tick(1000);
  await flush();
  assert.equal(h.probes.ready('app', 'c1'), true);
  h.probes.stop();
});

test('a failing startup probe keeps the container unstarted and the other probes idle', async (t) => {
  mock.timers.enable({ apis: ['setInterval', 'setTimeout', 'Date'], now: 1_000_000 });
  t.after(() => mock.timers.reset());
  const fail: ProbeOutcome = { result: 'failure', output: 'dial tcp 10.0.0.1:80: connect: connection refused' };
  const h = harness({ startup: { tcpSocket: { port: 80 }, periodSeconds: 1, failureThreshold: 30 }, readiness: { httpGet: { port: 80 }, periodSeconds: 1 } }, [fail, fail, { result: 'success', output: '' }]);
  await flush();
  mock.timers.tick(1000);
  await flush();
  assert.equal(h.probes.started('app', 'c1'), false);
  assert.equal(h.runs(), 2, 'only the startup probe ran');
  mock.timers.tick(1000);
  await flush();
  assert.equal(h.probes.started('app', 'c1'), true);
  assert.deepEqual(h.events, ['Unhealthy: Startup probe failed: dial tcp 10.0.0.1:80: connect: connection refused', 'Unhealthy: Startup probe failed: dial tcp 10.0.0.1:80: connect: connection refused']);
  h.probes.stop();
});
