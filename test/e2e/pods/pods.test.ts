// Pods run for real with kubectl 1.33 and 1.27: config errors (seed 10), readiness through httpGet, env and files, liveness restarts, OOMKilled.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exists, kubectlPath, repoRoot, run, TestCluster, waitUntil } from '../cluster.ts';

const seed = join(repoRoot, 'examples/seed');

for (const minor of [33, 27]) describe(`pods run for real (kubectl 1.${minor})`, async () => {
  const kubectl = await exists(kubectlPath(minor));
  const skip = !kubectl ? `skipped: kubectl 1.${minor} not installed` : false;
  const opts = { skip, timeout: 120_000 };
  let c: TestCluster;
  let work: string;

  const k = async (args: string[], input?: string) => {
    const r = await c.kubectl(minor, args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const until = <T>(what: string, f: () => Promise<T | undefined | false>, ms = 60_000): Promise<T> => waitUntil(c, what, f, ms);
  const podJson = async (ns: string, name: string) => JSON.parse(await k(['get', 'pod', name, '-n', ns, '-o', 'json']));

  before(async () => {
    if (skip) return;
    // Auto picks the isolated runtime where the machine allows it (root, crun/runc, CNI plugins), the host runtime otherwise.
    const mode = process.env.DABBA_E2E_RUNTIME ?? 'auto';
    c = await TestCluster.start([], { DABBA_RUNTIME: mode });
    work = await mkdtemp(join(tmpdir(), 'dabba-pods-'));
    process.stderr.write(`# pods e2e: runtime ${/"runtime":"(\w+)"/.exec(c.log)?.[1] ?? mode}\n`);
  });
  after(async () => {
    await c?.destroy();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("seed 10: the order Deployment's pods stay CreateContainerConfigError with upstream's message", opts, async () => {
    // The course's image, registered as a project would register its own.
    const app = join(work, 'order-service');
    await run('mkdir', ['-p', app]);
    await writeFile(join(app, 'server.js'), 'require("http").createServer((q, s) => s.end("ok")).listen(8080);\n');
    const add = await run(process.execPath, [join(repoRoot, 'bin/dabba.js'), 'image', 'add', 'swiggy/order-service:v2.1.0', '--from', app, '--data-dir', c.dataDir, '--cmd', 'node', 'server.js']);
    assert.equal(add.code, 0, add.stderr);
    await k(['create', 'namespace', 'swiggy-prod']);
    await k(['create', 'namespace', 'swiggy-dev']);
    await k(['apply', '-f', join(seed, '07-configmaps-dev-prod.yaml')]);
    await k(['apply', '-f', join(seed, '08-secret-prod.yaml')]);
    await k(['apply', '-f', join(seed, '10-deployment-order-config-secrets.yaml')]);
    const line = await until('a pod in CreateContainerConfigError', async () => {
      const out = await k(['get', 'pods', '-n', 'swiggy-prod']);
      return out.split('\n').find((l) => /\bCreateContainerConfigError\b/.test(l));
    });
    const name = line.split(/\s+/)[0];
    assert.match(line, /^swiggy-order-service-\S+\s+0\/1\s+CreateContainerConfigError\s+0\s+/);
    const pod = await podJson('swiggy-prod', name);
    assert.deepEqual(pod.status.containerStatuses[0].state.waiting, {
      reason: 'CreateContainerConfigError',
      message: "couldn't find key environment in ConfigMap swiggy-prod/swiggy-config-prod",
    });
    const describe = await until('the Failed event in describe', async () => {
      const d = await k(['describe', 'pod', name, '-n', 'swiggy-prod']);
      return /Warning\s+Failed\s+.*kubelet\s+Error: couldn't find key environment in ConfigMap swiggy-prod\/swiggy-config-prod/.test(d) && d;
    });
    assert.match(describe, /State:\s+Waiting\n\s+Reason:\s+CreateContainerConfigError/);
    assert.match(describe, /Normal\s+Pulled\s+.*kubelet\s+Container image "swiggy\/order-service:v2.1.0" already present on machine/);
    await k(['delete', 'namespace', 'swiggy-dev', '--wait=false']);
  });

  it('a node HTTP server becomes Ready through its httpGet readiness probe', opts, async () => {
    const manifest = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      spec: {
        // node runs as PID 1 and ignores SIGTERM, so deletion waits out the grace period before SIGKILL.
        terminationGracePeriodSeconds: 3,
        containers: [
          {
            name: 'web',
            image: 'node:24',
            command: ['node', '-e', "setTimeout(() => require('http').createServer((q, s) => s.end(q.url === '/ready' ? 'ready' : 'hi')).listen(8080), 1500)"],
            ports: [{ containerPort: 8080, name: 'http' }],
            readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 1 },
          },
        ],
      },
    };
    await k(['apply', '-f', '-'], JSON.stringify(manifest));
    const ready = await until('web Ready', async () => {
      const p = await podJson('default', 'web');
      return p.status.conditions?.find((x: { type: string; status: string }) => x.type === 'Ready' && x.status === 'True') && p;
    });
    assert.equal(ready.status.phase, 'Running');
    assert.equal(ready.status.containerStatuses[0].ready, true);
    assert.equal(ready.status.containerStatuses[0].started, true);
    assert.match(ready.status.containerStatuses[0].imageID, /^docker\.io\/library\/node@sha256:[0-9a-f]{64}$/);
    assert.match(ready.status.podIP, /^\d+\.\d+\.\d+\.\d+$/);
    const out = await k(['get', 'pod', 'web']);
    assert.match(out.split('\n')[1], /^web\s+1\/1\s+Running\s+0\s+/);
  });

  it('env from a Secret and ConfigMap files are visible through logs and exec', opts, async () => {
    await k(['create', 'secret', 'generic', 'db', '--from-literal=password=s3cr3t']);
    await k(['create', 'configmap', 'settings', '--from-literal=app.yaml=mode: fast']);
    const manifest = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'reader', namespace: 'default' },
      spec: {
        containers: [
          {
            name: 'main',
            image: 'busybox',
            command: ['sh', '-c', 'echo "password=$DB_PASSWORD"; cat "$SETTINGS"; echo; echo "pod=$(POD_NAME)"; sleep 3600'],
            env: [
              // A path in an env value: the host runtime (no mount namespace) rewrites it to where the volume is.
              { name: 'SETTINGS', value: '/etc/settings/app.yaml' },
              { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
              { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            ],
            volumeMounts: [{ name: 'settings', mountPath: '/etc/settings' }],
          },
        ],
        volumes: [{ name: 'settings', configMap: { name: 'settings' } }],
      },
    };
    await k(['apply', '-f', '-'], JSON.stringify(manifest));
    const logs = await until('reader logs', async () => {
      const r = await c.kubectl(minor, ['logs', 'reader']);
      return r.code === 0 && r.stdout.includes('pod=') && r.stdout;
    });
    assert.equal(logs, 'password=s3cr3t\nmode: fast\npod=reader\n');
    const env = await k(['exec', 'reader', '--', 'printenv', 'DB_PASSWORD']);
    assert.equal(env, 's3cr3t\n');
    const file = await k(['exec', 'reader', '--', 'sh', '-c', 'cat "$SETTINGS"']);
    assert.equal(file, 'mode: fast');
    const tail = await k(['logs', 'reader', '--tail=1']);
    assert.equal(tail, 'pod=reader\n');
  });

  it('a failing liveness probe raises restartCount', opts, async () => {
    const manifest = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'sick', namespace: 'default' },
      spec: {
        containers: [
          {
            name: 'main',
            image: 'busybox',
            command: ['sh', '-c', 'echo started; sleep 3600'],
            livenessProbe: { tcpSocket: { port: 9 }, periodSeconds: 1, failureThreshold: 2 },
          },
        ],
        terminationGracePeriodSeconds: 2,
      },
    };
    await k(['apply', '-f', '-'], JSON.stringify(manifest));
    const p = await until('a restart', async () => {
      const pod = await podJson('default', 'sick');
      return pod.status.containerStatuses?.[0]?.restartCount >= 1 && pod;
    });
    assert.ok(p.status.containerStatuses[0].lastState.terminated, JSON.stringify(p.status.containerStatuses[0]));
    const d = await until('liveness events', async () => {
      const out = await k(['describe', 'pod', 'sick']);
      return /Normal\s+Killing\s+.*kubelet\s+Container main failed liveness probe, will be restarted/.test(out) && out;
    });
    assert.match(d, /Warning\s+Unhealthy\s+.*kubelet\s+Liveness probe failed: dial tcp [\d.]+:9: connect: connection refused/);
    // The shell may report its killed child ("Terminated") before it goes too; what came first is the previous run.
    assert.match(await k(['logs', 'sick', '--previous']), /^started\n/);
  });

  it('a crashing container goes into CrashLoopBackOff with the back-off event', opts, async () => {
    await k(['run', 'crasher', '--image=busybox', '--', 'sh', '-c', 'echo boom; exit 3']);
    const line = await until('CrashLoopBackOff', async () => (await k(['get', 'pod', 'crasher'])).split('\n').find((l) => /CrashLoopBackOff/.test(l)));
    assert.match(line, /^crasher\s+0\/1\s+CrashLoopBackOff\s+\d+ \(\d+s ago\)\s+/);
    const cs = (await podJson('default', 'crasher')).status.containerStatuses[0];
    // 10s after the first crash, doubling after each further one (the loop may have gone round again meanwhile).
    assert.match(cs.state.waiting.message, /^back-off (10|20|40)s restarting failed container=crasher pod=crasher_default\(/);
    assert.deepEqual([cs.lastState.terminated.exitCode, cs.lastState.terminated.reason], [3, 'Error']);
    const d = await until('BackOff event', async () => {
      const out = await k(['describe', 'pod', 'crasher']);
      return /Warning\s+BackOff\s+.*kubelet\s+Back-off restarting failed container crasher in pod crasher_default\(/.test(out) && out;
    });
    assert.match(d, /Last State:\s+Terminated\n\s+Reason:\s+Error\n\s+Exit Code:\s+3/);
    assert.equal(await k(['logs', 'crasher', '--previous']), 'boom\n');
  });

  it('a pod over its memory limit ends OOMKilled', opts, async () => {
    const manifest = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'hog', namespace: 'default' },
      spec: {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'main',
            image: 'node:24',
            command: ['node', '-e', 'const a = []; for (;;) a.push(Buffer.alloc(1 << 20, 1));'],
            resources: { limits: { memory: '64Mi' }, requests: { memory: '64Mi' } },
          },
        ],
      },
    };
    await k(['apply', '-f', '-'], JSON.stringify(manifest));
    const p = await until('hog terminated', async () => {
      const pod = await podJson('default', 'hog');
      return pod.status.containerStatuses?.[0]?.state?.terminated && pod;
    });
    assert.equal(p.status.phase, 'Failed');
    assert.equal(p.status.containerStatuses[0].state.terminated.reason, 'OOMKilled');
    assert.equal(p.status.containerStatuses[0].state.terminated.exitCode, 137);
    const out = await k(['get', 'pod', 'hog']);
    assert.match(out.split('\n')[1], /^hog\s+0\/1\s+OOMKilled\s+0\s+/);
  });

  it('deleting a pod stops it gracefully and removes the object and its node state', opts, async () => {
    const uid = (await podJson('default', 'web')).metadata.uid;
    assert.equal(await exists(join(c.dataDir, 'kubelet', 'pods', uid)), true);
    await k(['delete', 'pod', 'web', '--wait=true', '--timeout=60s']);
    const r = await c.kubectl(minor, ['get', 'pod', 'web']);
    assert.match(r.stderr, /pods "web" not found/);
    await until('pod directory removed', async () => !(await exists(join(c.dataDir, 'kubelet', 'pods', uid))), 20_000);
    const events = JSON.parse(await k(['get', 'events', '--field-selector', `involvedObject.uid=${uid}`, '-o', 'json'])).items;
    assert.ok(events.some((e: { reason: string; message: string }) => e.reason === 'Killing' && e.message === 'Stopping container web'), JSON.stringify(events.map((e: { reason: string }) => e.reason)));
  });
});
