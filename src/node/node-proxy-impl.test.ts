import { test } from 'node:test';
import assert from 'node:assert/strict';
import { text } from 'node:stream/consumers';
import { StatusError } from '../machinery/status-error.ts';
import { AgentNodeProxy } from './node-proxy-impl.ts';
import { FakeRuntime } from './pod-worker-fake-runtime.ts';
import type { PodWorker } from './pod-worker.ts';

/** A worker stand-in: what the proxy asks of a pod worker. */
function worker(over: Partial<Pick<PodWorker, 'logFile' | 'runningContainer' | 'sandbox'>>): PodWorker {
  return { logFile: () => ({ error: 'none' }), runningContainer: () => undefined, sandbox: undefined, ...over } as unknown as PodWorker;
}

const target = { namespace: 'default', pod: 'web', podUid: 'u1', container: 'app' };
const logOpts = { container: 'app', follow: false, previous: false, timestamps: false };

test('logs: upstream refusals are 400s with the kubelet message', async () => {
  const rt = new FakeRuntime();
  const proxy = new AgentNodeProxy(rt, () => worker({ logFile: () => ({ error: 'container "app" in pod "web" is waiting to start: ContainerCreating' }) }));
  await assert.rejects(proxy.logs(target, logOpts), (e: unknown) => e instanceof StatusError && e.code === 400 && e.message === 'container "app" in pod "web" is waiting to start: ContainerCreating');
  const none = new AgentNodeProxy(rt, () => undefined);
  await assert.rejects(none.logs(target, logOpts), (e: unknown) => e instanceof StatusError && e.code === 400);
});

test('logs read the chosen file; exec goes to the running container; port-forward to the sandbox', async (t) => {
  const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = await mkdtemp(join(tmpdir(), 'proxy-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, '0.log');
  await writeFile(file, '2025-01-01T00:00:00.000000000Z stdout F hello\n');
  const rt = new FakeRuntime();
  const sb = await rt.runPodSandbox({ podUid: 'u1', name: 'web', namespace: 'default', hostname: 'web', hostNetwork: false, portMappings: [], etcFiles: { hosts: '', resolvConf: '' }, qosClass: 'BestEffort' });
  const id = await rt.createContainer(sb, { name: 'app', image: { ref: 'x', rootfs: '/', entrypoint: [], cmd: [], workingDir: '/', env: {}, user: 0 }, argv: [], env: [], workingDir: '/', mounts: [], resources: { cpuShares: 2, cpuPeriodUs: 100000, oomScoreAdj: 1000 }, security: { supplementalGroups: [], readOnlyRootFilesystem: false, allowPrivilegeEscalation: true, privileged: false, capabilitiesAdd: [], capabilitiesDrop: [] }, tty: false, stdin: false, stdinOnce: false, logPath: join(dir, 'x.log') });
  await rt.startContainer(id);
  rt.onExec = (_c, argv) => ({ code: 0, output: argv.join(' ') });
  const proxy = new AgentNodeProxy(rt, () => worker({ logFile: () => ({ path: file, running: () => false }), runningContainer: (n) => (n === 'app' ? id : undefined), sandbox: sb }));
  assert.equal(await text(await proxy.logs(target, { ...logOpts, timestamps: true })), '2025-01-01T00:00:00.000000000Z hello\n');
  const s = await proxy.exec(target, ['echo', 'hi'], { stdin: false, tty: false });
  assert.equal(await text(s.stdout), 'echo hi');
  assert.equal(await s.exit, 0);
  await assert.rejects(proxy.exec({ ...target, container: 'other' }, ['x'], { stdin: false, tty: false }), { message: 'container not found ("other")' });
  assert.ok(await proxy.portForward(target, 8080));
  await proxy.attach(target, { stdin: true, tty: false });
  assert.equal(rt.calls.at(-1), 'attach app stdin=true tty=false');
  await assert.rejects(proxy.attach({ ...target, container: 'other' }, { stdin: false, tty: false }), { message: 'container other not found in pod web_default' });
});
