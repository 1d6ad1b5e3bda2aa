// Issue 4's verification scenario as a user runs it, with kubectl 1.27 and 1.33: a python:3.11 Deployment on the isolated
// runtime, its securityContext, Secret and ConfigMap seen through exec, logs -f, port-forward, set image and rollout undo,
// an in-cluster Python client through its service-account token, and no host object left after `dabba up` stops.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exists, freePort, kubectlPath, repoRoot, run, TestCluster, waitUntil } from '../cluster.ts';
import { chooseRuntime, probeHost } from '../../../src/node/runtime/select-runtime.ts';
import { cidrContains, parseCidr } from '../../../src/node/network/cidr.ts';
import { instanceNames } from '../../../src/node/network/instance-names.ts';


/** Whether this machine can run the isolated runtime (what `--runtime auto` picks), and if not, why. */
async function isolatedUnavailable(): Promise<string | undefined> {
  const choice = chooseRuntime('auto', await probeHost());
  return choice.kind === 'isolated' ? undefined : choice.reasons.join('; ');
}

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        terminationGracePeriodSeconds: 2,
        securityContext: { runAsUser: 1000, runAsNonRoot: true },
        containers: [
          {
            name: 'web',
            image: 'python:3.11',
            // Serves the ConfigMap's directory; http.server logs each request on stderr.
            command: ['python3', '-m', 'http.server', '8080', '--directory', '/etc/settings'],
            ports: [{ name: 'http', containerPort: 8080 }],
            readinessProbe: { httpGet: { path: '/app.yaml', port: 'http' }, periodSeconds: 1 },
            securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }],
            envFrom: [{ prefix: 'DB_', secretRef: { name: 'db' } }],
            volumeMounts: [
              { name: 'settings', mountPath: '/etc/settings' },
              { name: 'creds', mountPath: '/etc/creds', readOnly: true },
            ],
          },
        ],
        volumes: [
          { name: 'settings', configMap: { name: 'settings' } },
          { name: 'creds', secret: { secretName: 'db', defaultMode: 0o400 } },
        ],
      },
    },
  },
};

function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Cgroup directories whose name carries `prefix`, anywhere in the host's cgroup hierarchies. */
async function cgroupsOf(prefix: string, dir = '/sys/fs/cgroup', depth = 0): Promise<string[]> {
  if (depth > 6) return [];
  const found: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (!e.isDirectory()) continue;
    const path = join(dir, e.name);
    if (e.name.includes(prefix)) found.push(path);
    else found.push(...(await cgroupsOf(prefix, path, depth + 1)));
  }
  return found;
}

/** What the host holds of one dabba instance, by its prefix (and the veths and routes seen on its bridge). */
async function hostObjects(dataDir: string, seen?: { veths: string[]; routes: string[] }) {
  const { prefix, bridge } = instanceNames(dataDir);
  const out = async (cmd: string, args: string[]) => {
    const r = await run(cmd, args);
    assert.equal(r.code, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const links = JSON.parse(await out('ip', ['-j', 'link', 'show'])) as { ifname: string; master?: string }[];
  const routes = JSON.parse(await out('ip', ['-j', 'route', 'show'])) as { dst: string; dev?: string }[];
  const processes: string[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cmd = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ');
    const cgroup = await readFile(`/proc/${pid}/cgroup`, 'utf8').catch(() => '');
    // kubectl processes of this test name the data dir too (--kubeconfig); the instance's own do not run kubectl.
    if ((cmd.includes(dataDir) && !cmd.includes('/kubectl.1.')) || cgroup.includes(`/${prefix}/`)) processes.push(`${pid} ${cmd.slice(0, 100)}`);
  }
  return {
    netns: (await out('ip', ['netns', 'list'])).split('\n').filter((l) => l.includes(prefix)),
    links: links.filter((l) => l.ifname.includes(prefix) || l.master === bridge || seen?.veths.includes(l.ifname)).map((l) => l.ifname),
    veths: links.filter((l) => l.master === bridge).map((l) => l.ifname),
    routes: routes.filter((r) => r.dev === bridge || seen?.routes.includes(r.dst)).map((r) => `${r.dst} dev ${r.dev}`),
    routeDsts: routes.filter((r) => r.dev === bridge).map((r) => r.dst),
    nftTables: (await out('nft', ['list', 'tables'])).split('\n').filter((l) => l.includes(prefix)),
    cgroups: await cgroupsOf(prefix),
    mounts: (await readFile('/proc/self/mountinfo', 'utf8')).split('\n').filter((l) => l.includes(prefix) || l.includes(dataDir)),
    processes,
  };
}

interface PodView {
  metadata: { name: string; deletionTimestamp?: string; labels: Record<string, string> };
  spec: { containers: { image: string }[] };
  status: { phase?: string; podIP?: string; conditions?: { type: string; status: string }[]; containerStatuses?: { image: string; ready: boolean; containerID?: string }[] };
}

for (const minor of [27, 33]) {
  describe(`issue 4 scenario with kubectl 1.${minor}`, async () => {
    const noKubectl = !(await exists(kubectlPath(minor)));
    const noIsolated = noKubectl ? undefined : await isolatedUnavailable();
    const skip = noKubectl ? `skipped: kubectl 1.${minor} not installed` : noIsolated ? `skipped: the isolated runtime cannot run here (${noIsolated})` : false;
    const opts = { skip, timeout: 120_000 };
    let c: TestCluster;
    let work: string;

    const k = async (args: string[], input?: string) => {
      const r = await c.kubectl(minor, args, input);
      assert.equal(r.code, 0, `kubectl ${args.join(' ')}:\n${r.stderr}${r.stdout}`);
      return r.stdout;
    };
    const until = <T>(what: string, f: () => Promise<T | undefined | false>, ms = 60_000): Promise<T> => waitUntil(c, what, f, ms);
    /** The Deployment's pods that are not being deleted. */
    const webPods = async (): Promise<PodView[]> =>
      (JSON.parse(await k(['get', 'pods', '-l', 'app=web', '-o', 'json'])).items as PodView[]).filter((p) => !p.metadata.deletionTimestamp);
    const ready = (p: PodView) => p.status.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') ?? false;
    const exec = (pod: string, ...cmd: string[]) => c.kubectl(minor, ['exec', pod, '--', ...cmd]);

    before(async () => {
      if (skip) return;
      c = await TestCluster.start([], { DABBA_RUNTIME: 'auto' });
      work = await mkdtemp(join(tmpdir(), 'dabba-scenario-'));
      const runtime = /container runtime \{"runtime":"(\w+)"/.exec(c.log)?.[1];
      process.stderr.write(`# issue 4 scenario (kubectl 1.${minor}): runtime ${runtime ?? 'unknown'}\n`);
      assert.equal(runtime, 'isolated', `auto should pick the isolated runtime on this machine:\n${c.log.slice(-3000)}`);
    });
    after(async () => {
      await c?.destroy();
      if (work) await rm(work, { recursive: true, force: true });
    });

    it('a 2-replica python:3.11 Deployment becomes Ready through its httpGet readiness probe with two pod IPs from the pod range', opts, async () => {
      await k(['create', 'secret', 'generic', 'db', '--from-literal=password=s3cr3t', '--from-literal=user=app']);
      await k(['create', 'configmap', 'settings', '--from-literal=app.yaml=mode: fast']);
      await k(['apply', '-f', '-'], JSON.stringify(deployment));
      const status = await c.kubectl(minor, ['rollout', 'status', 'deployment/web', '--timeout=90s']);
      assert.equal(status.code, 0, `rollout status:\n${status.stderr}${status.stdout}\n${await k(['describe', 'pods', '-l', 'app=web'])}`);
      assert.match(status.stdout, /deployment "web" successfully rolled out/);
      const pods = await webPods();
      assert.equal(pods.length, 2);
      assert.ok(pods.every(ready), JSON.stringify(pods.map((p) => p.status)));
      const podCIDR = parseCidr((await k(['get', 'nodes', '-o', 'jsonpath={.items[0].spec.podCIDR}'])).trim());
      const ips = pods.map((p) => p.status.podIP ?? '');
      assert.equal(new Set(ips).size, 2, `two distinct pod IPs: ${ips}`);
      for (const ip of ips) assert.ok(cidrContains(podCIDR, ip), `${ip} is in the node's pod range`);
      const table = (await k(['get', 'deployment', 'web'])).split('\n')[1];
      assert.match(table, /^web\s+2\/2\s+2\s+2\s+/);
    });

    it('exec shows the securityContext enforced, env from the Secret, the ConfigMap file and a 0400 secret file', opts, async () => {
      const [pod] = (await webPods()).map((p) => p.metadata.name);
      const uid = await exec(pod, 'id', '-u');
      assert.deepEqual([uid.code, uid.stdout], [0, '1000\n'], uid.stderr);
      const write = await exec(pod, 'touch', '/scenario');
      assert.notEqual(write.code, 0);
      assert.match(write.stderr, /Read-only file system/);
      const caps = await exec(pod, 'grep', 'CapEff', '/proc/self/status');
      assert.equal(caps.stdout, 'CapEff:\t0000000000000000\n', caps.stderr);
      const nnp = await exec(pod, 'grep', 'NoNewPrivs', '/proc/self/status');
      assert.equal(nnp.stdout, 'NoNewPrivs:\t1\n', nnp.stderr);
      const env = await exec(pod, 'printenv', 'DB_PASSWORD', 'DB_user');
      assert.equal(env.stdout, 's3cr3t\napp\n', env.stderr);
      const file = await exec(pod, 'cat', '/etc/settings/app.yaml');
      assert.equal(file.stdout, 'mode: fast', file.stderr);
      const mode = await exec(pod, 'stat', '-L', '-c', '%a %u', '/etc/creds/password');
      assert.equal(mode.stdout, '400 0\n', mode.stderr);
      // Owned by root with mode 0400: user 1000 may not read it, as on a real node without fsGroup.
      const read = await exec(pod, 'cat', '/etc/creds/password');
      assert.match(read.stderr, /Permission denied/);
    });

    it('logs -f streams a line printed after the follow started; port-forward answers on loopback', opts, async () => {
      const [pod] = (await webPods()).map((p) => p.metadata.name);
      const marker = `/follow-${minor}-${process.pid}`;
      const f = spawn(kubectlPath(minor), ['--kubeconfig', c.kubeconfig, 'logs', '-f', pod, '--tail=1'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let followed = '';
      f.stdout.setEncoding('utf8');
      f.stdout.on('data', (d) => (followed += d));
      try {
        // The readiness probe's requests are logged every second: the follow is live once one arrived.
        await until('the follow to print a line', async () => followed.includes('\n'), 15_000);
        assert.doesNotMatch(followed, new RegExp(marker));
        const got = await exec(pod, 'python3', '-c', `import urllib.request as u, urllib.error as e\ntry: u.urlopen("http://127.0.0.1:8080${marker}")\nexcept e.HTTPError as x: print(x.code)`);
        assert.equal(got.stdout, '404\n', got.stderr);
        await until('the request line in the followed log', async () => new RegExp(`"GET ${marker} HTTP/1.1" 404`).test(followed), 15_000);
      } finally {
        process.kill(f.pid!, 'SIGTERM');
      }

      const local = await freePort();
      const pf = spawn(kubectlPath(minor), ['--kubeconfig', c.kubeconfig, 'port-forward', `pod/${pod}`, `${local}:8080`], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      pf.stdout.setEncoding('utf8');
      pf.stdout.on('data', (d) => (out += d));
      try {
        await until('port-forward listening', async () => out.includes(`Forwarding from 127.0.0.1:${local} -> 8080`), 15_000);
        const r = await httpGet(local, '/app.yaml');
        assert.deepEqual(r, { status: 200, body: 'mode: fast' });
      } finally {
        process.kill(pf.pid!, 'SIGTERM');
      }
    });

    it('set image rolls out real pods of a registered image; rollout undo brings the old template back', opts, async () => {
      // A project's own image, registered as a user does: its directory is mounted read-only at /app.
      const app = join(work, 'web-v2');
      await run('mkdir', ['-p', app]);
      await writeFile(join(app, 'VERSION'), 'v2\n');
      const add = await run(process.execPath, [join(repoRoot, 'bin/dabba.js'), 'image', 'add', 'scenario/web:v2', '--from', app, '--data-dir', c.dataDir, '--cmd', 'python3', '-m', 'http.server', '8080']);
      assert.equal(add.code, 0, add.stderr);
      const first = await webPods();
      const firstHash = first[0].metadata.labels['pod-template-hash'];

      await k(['set', 'image', 'deployment/web', 'web=scenario/web:v2']);
      const rolled = await c.kubectl(minor, ['rollout', 'status', 'deployment/web', '--timeout=90s']);
      assert.equal(rolled.code, 0, `rollout status:\n${rolled.stderr}${rolled.stdout}\n${await k(['describe', 'pods', '-l', 'app=web'])}`);
      assert.match(rolled.stdout, /deployment "web" successfully rolled out/);
      const second = await webPods();
      assert.equal(second.length, 2);
      const secondHash = second[0].metadata.labels['pod-template-hash'];
      assert.notEqual(secondHash, firstHash);
      for (const p of second) {
        assert.equal(p.metadata.labels['pod-template-hash'], secondHash);
        assert.ok(ready(p), JSON.stringify(p.status));
        // As containerd reports it: the fully qualified reference.
        assert.equal(p.status.containerStatuses?.[0]?.image, 'docker.io/scenario/web:v2');
        const version = await exec(p.metadata.name, 'cat', '/app/VERSION');
        assert.equal(version.stdout, 'v2\n', version.stderr);
      }

      assert.match(await k(['rollout', 'undo', 'deployment/web']), /deployment.apps\/web rolled back/);
      const back = await c.kubectl(minor, ['rollout', 'status', 'deployment/web', '--timeout=90s']);
      assert.equal(back.code, 0, `rollout status after undo:\n${back.stderr}${back.stdout}`);
      const third = await webPods();
      assert.equal(third.length, 2);
      const names = new Set([...first, ...second].map((p) => p.metadata.name));
      for (const p of third) {
        assert.equal(p.metadata.labels['pod-template-hash'], firstHash, 'the first ReplicaSet is back');
        assert.ok(!names.has(p.metadata.name), 'new pods, not the old ones');
        assert.ok(ready(p), JSON.stringify(p.status));
        assert.equal(p.spec.containers[0].image, 'python:3.11');
        assert.equal(p.status.containerStatuses?.[0]?.image, 'docker.io/library/python:3.11');
        const noApp = await exec(p.metadata.name, 'test', '-e', '/app/VERSION');
        assert.equal(noApp.code, 1, 'python:3.11 has no /app');
      }
      const history = await k(['rollout', 'history', 'deployment/web']);
      assert.match(history, /REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>/);
    });

    it("a pod lists pods with the Python client through its service-account token: forbidden, then allowed by a RoleBinding", opts, async () => {
      await k(['create', 'serviceaccount', 'lister']);
      const pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'lister', namespace: 'default' },
        spec: {
          serviceAccountName: 'lister',
          terminationGracePeriodSeconds: 1,
          containers: [{ name: 'main', image: 'python:3.11', command: ['sleep', '3600'] }],
        },
      };
      await k(['apply', '-f', '-'], JSON.stringify(pod));
      await k(['wait', '--for=condition=Ready', 'pod/lister', '--timeout=60s']);
      // The Python client that Debian's python3-kubernetes puts on the host root the built-in python image runs on.
      const script = [
        'import sys',
        'from kubernetes import client, config',
        'config.load_incluster_config()',
        'try:',
        '    pods = client.CoreV1Api().list_namespaced_pod("default")',
        'except client.ApiException as e:',
        '    print(e.status, e.body)',
        '    sys.exit(3)',
        'print(" ".join(sorted(p.metadata.name for p in pods.items)))',
      ].join('\n');
      const denied = await exec('lister', 'python3', '-c', script);
      assert.equal(denied.code, 3, `${denied.stdout}${denied.stderr}`);
      assert.match(denied.stdout, /^403 /);
      assert.equal(
        JSON.parse(denied.stdout.slice(4)).message,
        'pods is forbidden: User "system:serviceaccount:default:lister" cannot list resource "pods" in API group "" in the namespace "default"',
      );

      await k(['create', 'rolebinding', 'lister-view', '--clusterrole=view', '--serviceaccount=default:lister']);
      const allowed = await until('the RoleBinding to take effect', async () => {
        const r = await exec('lister', 'python3', '-c', script);
        return r.code === 0 && r;
      }, 20_000);
      const names = allowed.stdout.trim().split(' ');
      assert.ok(names.includes('lister'), allowed.stdout);
      const web = (await webPods()).map((p) => p.metadata.name);
      for (const n of web) assert.ok(names.includes(n), `${n} in ${allowed.stdout}`);
    });

    it('after dabba up stops, no network namespace, link, route, nft table, cgroup, mount or process of the instance is left', opts, async () => {
      // Pods replaced by the rollouts are gone once their grace period ran out.
      const running = await until('the replaced pods gone from the host', async () => {
        const h = await hostObjects(c.dataDir);
        // The kernel removes a deleted namespace's veth a moment after the namespace itself.
        return h.netns.length === 3 && h.veths.length === 3 && h;
      }, 30_000);
      // The check sees the instance while it runs: three pods (two web, the lister), each with a netns and a veth.
      assert.equal(running.netns.length, 3, JSON.stringify(running));
      assert.equal(running.veths.length, 3, JSON.stringify(running));
      assert.ok(running.links.includes(instanceNames(c.dataDir).bridge), JSON.stringify(running.links));
      assert.equal(running.routeDsts.length, 2, `the pod and Service ranges routed to the bridge: ${running.routes}`);
      assert.equal(running.nftTables.length, 1, JSON.stringify(running.nftTables));
      assert.ok(running.cgroups.length > 0 && running.mounts.length >= 3 && running.processes.length > 0, JSON.stringify(running));

      assert.equal(await c.stop(), 0, c.log.slice(-3000));
      const left = await hostObjects(c.dataDir, { veths: running.veths, routes: running.routeDsts });
      assert.deepEqual(
        { netns: left.netns, links: left.links, routes: left.routes, nftTables: left.nftTables, cgroups: left.cgroups, mounts: left.mounts, processes: left.processes },
        { netns: [], links: [], routes: [], nftTables: [], cgroups: [], mounts: [], processes: [] },
      );
    });
  });
}
