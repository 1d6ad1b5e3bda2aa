// Measures pod start-up on the isolated runtime (Deployment apply → every pod Ready, per-pod latency, memory per idle pod) beside a scripted bare floor of the same starts.
import { randomBytes } from 'node:crypto';
import { readdir, readFile, rmdir } from 'node:fs/promises';
import { request } from 'node:https';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { instanceNames } from '../src/node/network/instance-names.ts';
import { runHostCommand } from '../src/node/network/host-command.ts';
import { leaseNetworkRanges, type NetworkRanges } from '../test/e2e/network-ranges.ts';
import { ApiClient, readCredentials } from './api-client.ts';
import { BareFloor, bareScript, cgroupMounts, netnsDir, type BareRun } from './bare-pod-start.ts';
import { cgroupCpuSeconds, CpuAccount } from './cgroup-cpu.ts';
import { ClusterProcess, freePort, removeDir, tempDir } from './cluster-process.ts';
import { mib, ms, ratio, summarize, type Summary } from './percentiles.ts';
import { commOf, cpuSecondsOf, memoryOf, pssOf } from './proc-stats.ts';
import { codeBlock, table, type Section } from './report.ts';

const sizes = [20, 100] as const;
const namespace = 'default';
const readyTimeoutMs = 180_000;
const settleMs = 5_000;
const goalRatio = 1.5;
const goal100Ms = 10_000;
/** The container's process in both: busybox's sleep (dabba's busybox image resolves `sleep` to the host's busybox applet). */
const busybox = '/bin/busybox';
/** The prefix of the bench's own accounting groups. */
const accountPrefix = `bnch${randomBytes(3).toString('hex')}`;
const sleepArgs = ['sleep', '3600'];

function deployment(name: string, replicas: number): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [{ name: 'sleep', image: 'busybox', command: sleepArgs }],
        },
      },
    },
  };
}

interface PodTimes {
  added: number;
  scheduled?: number;
  ready?: number;
}

interface PodEvent {
  type: string;
  object: { metadata: { name: string }; spec?: { nodeName?: string }; status?: { conditions?: { type: string; status: string }[] } };
}

/** One watch on the Deployment's pods, stamping when each pod was first seen, bound to the node, and Ready. */
class PodWatch {
  readonly pods = new Map<string, PodTimes>();
  #req: ClientRequest | undefined;
  #pending = '';
  #waiters: (() => void)[] = [];

  open(client: ApiClient, selector: string, resourceVersion: string): Promise<void> {
    const path = `/api/v1/namespaces/${namespace}/pods?watch=1&labelSelector=${encodeURIComponent(selector)}&resourceVersion=${resourceVersion}`;
    return new Promise((resolve, reject) => {
      const req = request(client.options('GET', path), (res: IncomingMessage) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`pod watch: HTTP ${res.statusCode}`));
          return;
        }
        res.on('data', (data: Buffer) => this.#chunk(performance.now(), data));
        res.on('error', () => undefined);
        resolve();
      });
      this.#req = req;
      req.on('error', reject);
      req.end();
    });
  }

  #chunk(t: number, data: Buffer): void {
    this.#pending += data.toString('utf8');
    let nl: number;
    while ((nl = this.#pending.indexOf('\n')) >= 0) {
      const line = this.#pending.slice(0, nl);
      this.#pending = this.#pending.slice(nl + 1);
      if (!line.trim()) continue;
      const ev = JSON.parse(line) as PodEvent;
      if (ev.type === 'DELETED' || ev.type === 'BOOKMARK' || ev.type === 'ERROR') continue;
      const name = ev.object.metadata.name;
      let p = this.pods.get(name);
      if (!p) this.pods.set(name, (p = { added: t }));
      if (p.scheduled === undefined && ev.object.spec?.nodeName) p.scheduled = t;
      if (p.ready === undefined && ev.object.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) p.ready = t;
    }
    for (const w of this.#waiters) w();
  }

  readyCount(): number {
    let n = 0;
    for (const p of this.pods.values()) if (p.ready !== undefined) n++;
    return n;
  }

  async untilReady(n: number, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (this.readyCount() < n) {
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`only ${this.readyCount()} of ${n} pods were Ready after ${timeoutMs / 1000} s (${this.pods.size} seen)`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 1000));
        this.#waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
      this.#waiters = [];
    }
  }

  close(): void {
    this.#req?.destroy();
  }
}

interface DabbaRun {
  n: number;
  wallMs: number;
  /** Watch ADDED → Ready observed, per pod. */
  perPodMs: number[];
  /** Watch ADDED → bound to the node, per pod. */
  scheduleMs: number[];
  /** Bound → Ready, per pod. */
  nodeMs: number[];
  /** From the Deployment's POST to the last pod seen. */
  lastAddedMs: number;
  /** CPU seconds from the POST to the last pod Ready: dabba's process and every process it started (host tools, shims, crun, containers). */
  cpuSeconds: number;
  /** The part of cpuSeconds used by dabba's own process. */
  dabbaCpuSeconds: number;
  /** Datastore writes (revisions) from the POST to the last pod Ready: pods, bindings, status patches, events, controllers' status. */
  writes: number;
}

interface CpuReading {
  total: number;
  dabba: number;
}

async function waitNoPods(client: ApiClient, selector: string, timeoutMs = 120_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const list = await client.json<{ items: unknown[] }>('GET', `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(selector)}`);
    if (list.items.length === 0) return;
    if (performance.now() > deadline) throw new Error(`${list.items.length} pods of ${selector} were still there after ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

/** Creates a Deployment of `n` replicas, waits until every pod is Ready; with `keep` the pods stay for the caller. */
async function runDeployment(client: ApiClient, name: string, n: number, cpu: () => Promise<CpuReading>, during?: () => Promise<void>): Promise<DabbaRun> {
  const selector = `app=${name}`;
  const list = await client.json<{ metadata: { resourceVersion: string } }>('GET', `/api/v1/namespaces/${namespace}/pods?limit=1`);
  const watch = new PodWatch();
  await watch.open(client, selector, list.metadata.resourceVersion);
  try {
    const revision = async () => Number((await client.json<{ metadata: { resourceVersion: string } }>('GET', '/api/v1/namespaces?limit=1')).metadata.resourceVersion);
    const rv0 = await revision();
    const cpu0 = await cpu();
    const t0 = performance.now();
    await client.json('POST', `/apis/apps/v1/namespaces/${namespace}/deployments`, deployment(name, n));
    await watch.untilReady(n, readyTimeoutMs);
    const cpu1 = await cpu();
    const rv1 = await revision();
    const times = [...watch.pods.values()].filter((p) => p.ready !== undefined);
    const lastReady = Math.max(...times.map((p) => p.ready!));
    const result: DabbaRun = {
      n,
      wallMs: lastReady - t0,
      perPodMs: times.map((p) => p.ready! - p.added),
      scheduleMs: times.map((p) => (p.scheduled ?? p.ready!) - p.added),
      nodeMs: times.map((p) => p.ready! - (p.scheduled ?? p.added)),
      lastAddedMs: Math.max(...times.map((p) => p.added)) - t0,
      cpuSeconds: cpu1.total - cpu0.total,
      dabbaCpuSeconds: cpu1.dabba - cpu0.dabba,
      writes: rv1 - rv0,
    };
    if (during) await during();
    return result;
  } finally {
    watch.close();
    await client.send('DELETE', `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`, { propagationPolicy: 'Background' }).catch(() => undefined);
    await waitNoPods(client, selector);
  }
}

interface ProcMemory {
  processes: number;
  byName: Map<string, number>;
  pss: number;
  rss: number;
}

async function memoryOfPids(pids: number[]): Promise<ProcMemory> {
  const out: ProcMemory = { processes: 0, byName: new Map(), pss: 0, rss: 0 };
  for (const pid of pids) {
    const m = await pssOf(pid);
    if (!m) continue;
    const name = await commOf(pid);
    out.processes++;
    out.byName.set(name, (out.byName.get(name) ?? 0) + 1);
    out.pss += m.pss;
    out.rss += m.rss;
  }
  return out;
}

/** Every pid in a cgroup and its descendants, in the hierarchy that holds every process (pids, else memory, else cgroup2). */
async function cgroupPids(group: string): Promise<number[]> {
  const mounts = await cgroupMounts();
  const base = mounts.find((m) => m.endsWith('/pids')) ?? mounts.find((m) => m.endsWith('/memory')) ?? mounts[0];
  const pids = new Set<number>();
  const walk = async (dir: string) => {
    for (const p of (await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '')).split('\n')) if (p.trim()) pids.add(Number(p));
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) if (e.isDirectory()) await walk(join(dir, e.name));
  };
  await walk(join(base, group));
  return [...pids];
}

/** Host objects carrying the dabba instance's prefix that are still there after it stopped; each is removed by exact name. */
async function removeDabbaLeftovers(dataDir: string): Promise<string[]> {
  const names = instanceNames(dataDir);
  const left: string[] = [];
  for (const ns of await readdir(netnsDir).catch(() => [] as string[])) {
    if (!ns.startsWith(`${names.prefix}-`)) continue;
    left.push(`netns ${ns}`);
    await runHostCommand('ip', ['netns', 'delete', ns]).catch(() => undefined);
  }
  if (await runHostCommand('ip', ['link', 'show', 'dev', names.bridge]).then(() => true, () => false)) {
    left.push(`bridge ${names.bridge}`);
    await runHostCommand('ip', ['link', 'delete', names.bridge, 'type', 'bridge']).catch(() => undefined);
  }
  if (await runHostCommand('nft', ['list', 'table', 'inet', names.nftTable]).then(() => true, () => false)) {
    left.push(`nft table inet ${names.nftTable}`);
    await runHostCommand('nft', ['delete', 'table', 'inet', names.nftTable]).catch(() => undefined);
  }
  for (const mount of await cgroupMounts()) {
    const root = join(mount, names.cgroupRoot);
    const dirs: string[] = [];
    const walk = async (dir: string) => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => undefined);
      if (!entries) return;
      for (const e of entries) if (e.isDirectory()) await walk(join(dir, e.name));
      dirs.push(dir);
    };
    await walk(root);
    if (dirs.length) left.push(`cgroup ${root}`);
    for (const d of dirs) await rmdir(d).catch(() => undefined);
  }
  return left;
}

interface BareResults {
  sequential: Map<number, BareRun>;
  parallel: Map<number, BareRun>;
  memory?: ProcMemory;
  script: string;
}

async function withBareFloor<T>(subnet: string, work: (f: BareFloor) => Promise<T>, problems: string[]): Promise<T> {
  const f = new BareFloor(await tempDir('bare'), subnet, [busybox, ...sleepArgs]);
  try {
    await f.setUp();
    return await work(f);
  } finally {
    problems.push(...(await f.cleanup()));
  }
}

async function measureBare(subnet: string, problems: string[]): Promise<BareResults> {
  const out: BareResults = { sequential: new Map(), parallel: new Map(), script: '' };
  for (const n of sizes) {
    out.sequential.set(n, await withBareFloor(subnet, (f) => f.sequential(n), problems));
    out.parallel.set(
      n,
      await withBareFloor(
        subnet,
        async (f) => {
          out.script = bareScript({ dir: '<floor dir>', prefix: f.prefix, crunRoot: '<floor dir>/crun' });
          const r = await f.parallel(n);
          if (n === sizes.at(-1)) {
            await sleep(settleMs);
            out.memory = await memoryOfPids(await f.containerPids());
          }
          return r;
        },
        problems,
      ),
    );
  }
  return out;
}

interface DabbaResults {
  runs: Map<number, DabbaRun>;
  command: string;
  rssBefore: number;
  rssWith: number;
  podMemory?: ProcMemory;
  leftovers: string[];
  exit: string;
}

async function measureDabba(ranges: NetworkRanges): Promise<DabbaResults> {
  const dir = await tempDir('pods');
  const c = new ClusterProcess(dir, await freePort(), ['--runtime', 'isolated', '--pod-cidr', ranges.podCIDR, '--service-cidr', ranges.serviceCIDR]);
  const out: DabbaResults = { runs: new Map(), command: c.command, rssBefore: Number.NaN, rssWith: Number.NaN, leftovers: [], exit: 'not started' };
  const account = new CpuAccount(`${accountPrefix}-dabba-cpu`);
  try {
    await c.start();
    // dabba and what it starts from now on are accounted together; its containers' groups are under its own root.
    if (await account.create()) await account.add(c.pid);
    const root = instanceNames(dir).cgroupRoot;
    const cpu = async (): Promise<CpuReading> => ({ total: (await account.seconds()) + ((await cgroupCpuSeconds(root)) || 0), dabba: await cpuSecondsOf(c.pid) });
    const client = new ApiClient(await readCredentials(c.kubeconfig), 8);
    try {
      // One unmeasured pod prepares the runtime's host state (bridge, routes, filter) and the busybox image.
      await runDeployment(client, 'pod-startup-warmup', 1, cpu);
      for (const n of sizes) {
        if (n === sizes.at(-1)) {
          await sleep(settleMs);
          out.rssBefore = (await memoryOf(c.pid)).rss;
        }
        const r = await runDeployment(client, `pod-startup-${n}`, n, cpu, async () => {
          if (n !== sizes.at(-1)) return;
          await sleep(settleMs);
          out.rssWith = (await memoryOf(c.pid)).rss;
          out.podMemory = await memoryOfPids(await cgroupPids(instanceNames(dir).cgroupRoot));
        });
        out.runs.set(n, r);
      }
    } finally {
      client.close();
    }
  } finally {
    out.exit = await c.stop();
    out.leftovers = await removeDabbaLeftovers(dir);
    const left = await account.remove();
    if (left) out.leftovers.push(left);
    await removeDir(dir);
  }
  return out;
}

const pct = (s: Summary) => `${ms(s.p50)} / ${ms(s.p99)}`;
const perPod = (m: ProcMemory | undefined, n: number) => (m ? mib(m.pss / n) : 'n/a');
const names = (m: ProcMemory | undefined) => (m ? [...m.byName].map(([k, v]) => `${v} × ${k}`).join(', ') : 'n/a');

export async function measurePodStartup(): Promise<Section> {
  const problems: string[] = [];
  const dabbaRanges = await leaseNetworkRanges();
  const bareRanges = await leaseNetworkRanges();
  let bare: BareResults;
  let dabba: DabbaResults;
  try {
    bare = await measureBare(bareRanges.podCIDR, problems);
    dabba = await measureDabba(dabbaRanges);
  } finally {
    await dabbaRanges.release();
    await bareRanges.release();
  }
  const big = sizes.at(-1)!;
  const headlines = sizes.flatMap((n) => {
    const d = dabba.runs.get(n)!;
    const bp = bare.parallel.get(n)!;
    const bs = bare.sequential.get(n)!;
    const sd = summarize(d.perPodMs);
    return [
      {
        figure: `${n} pods: Deployment apply → all Ready (wall)`,
        measured: ms(d.wallMs),
        goal: n === big ? `≤ ${goalRatio}× bare, < ${goal100Ms / 1000} s` : `≤ ${goalRatio}× bare`,
        vsGoal: n === big ? `${ratio(d.wallMs / bp.wallMs, goalRatio)} / ${ratio(d.wallMs, goal100Ms)}` : ratio(d.wallMs / bp.wallMs, goalRatio),
        baseline: `${n} bare starts at once: ${ms(bp.wallMs)}`,
        vsBaseline: ratio(d.wallMs, bp.wallMs),
      },
      {
        figure: `${n} pods: per pod, created → Ready (p50 / p99)`,
        measured: pct(sd),
        goal: 'p99 ≤ 5 s (upstream SLO)',
        vsGoal: ratio(sd.p99, 5000),
        baseline: `one bare start alone (p50): ${ms(summarize(bs.perStartMs).p50)}`,
        vsBaseline: ratio(sd.p50, summarize(bs.perStartMs).p50),
      },
    ];
  });
  const memPerPod = dabba.podMemory ? (dabba.rssWith - dabba.rssBefore + dabba.podMemory.pss) / big : Number.NaN;
  const dBig = dabba.runs.get(big)!;
  const bBig = bare.parallel.get(big)!;
  headlines.push({
    figure: `CPU time per pod start, ${big} pods (all processes)`,
    measured: ms((dBig.cpuSeconds * 1000) / big),
    goal: '(none set)',
    vsGoal: '',
    baseline: `bare start: ${ms((bBig.cpuSeconds * 1000) / big)}`,
    vsBaseline: ratio(dBig.cpuSeconds, bBig.cpuSeconds),
  });
  headlines.push({
    figure: 'memory per idle pod (dabba RSS growth + PSS of shim, crun and container)',
    measured: mib(memPerPod),
    goal: '(none set)',
    vsGoal: '',
    baseline: `bare container's PSS: ${perPod(bare.memory, big)}`,
    vsBaseline: bare.memory ? ratio(memPerPod, bare.memory.pss / big) : 'n/a',
  });

  const rows: string[][] = [];
  for (const n of sizes) {
    const d = dabba.runs.get(n)!;
    const bp = bare.parallel.get(n)!;
    const bs = bare.sequential.get(n)!;
    const cpu = (seconds: number) => ms((seconds * 1000) / n);
    rows.push([`dabba, ${n} pods (Deployment)`, ms(d.wallMs), pct(summarize(d.perPodMs)), ms(summarize(d.perPodMs).max), `${cpu(d.cpuSeconds)} (dabba's process: ${cpu(d.dabbaCpuSeconds)})`, '1.0×']);
    rows.push([`bare, ${n} at once`, ms(bp.wallMs), pct(summarize(bp.perStartMs)), ms(summarize(bp.perStartMs).max), cpu(bp.cpuSeconds), ratio(d.wallMs, bp.wallMs)]);
    rows.push([`bare, ${n} one after another`, ms(bs.wallMs), pct(summarize(bs.perStartMs)), ms(summarize(bs.perStartMs).max), cpu(bs.cpuSeconds), ratio(d.wallMs, bs.wallMs)]);
  }
  const split = sizes.map((n) => {
    const d = dabba.runs.get(n)!;
    return [`${n} pods`, pct(summarize(d.scheduleMs)), pct(summarize(d.nodeMs)), ms(d.lastAddedMs)];
  });
  const m = dabba.podMemory;
  return {
    name: 'pod-startup',
    title: 'Pod start-up (isolated runtime)',
    headlines,
    body: [
      `A fresh \`dabba up --runtime isolated\` with its own pod and Service ranges (leased as the e2e tests lease them, ` +
        '`test/e2e/network-ranges.ts`). One unmeasured 1-replica Deployment first prepares the runtime\'s host state and the ' +
        `image. Then, for ${sizes.join(' and ')} replicas, a Deployment of the built-in \`busybox\` image running ` +
        `\`${sleepArgs.join(' ')}\` (no probes, so Ready follows the container's start) is POSTed; one pod watch opened ` +
        'beforehand stamps each pod when it is first seen (ADDED), bound to the node and Ready. Per pod is first seen → Ready ' +
        'observed through the watch, as Kubernetes\' pod-startup SLI measures it (the API\'s timestamps have whole seconds only); ' +
        'wall is the Deployment\'s POST → the last pod Ready. Each Deployment is deleted and its pods awaited gone before the next.',
      '',
      'The bare floor, scripted on the same machine in the same run: per pod one `sh` script doing `ip netns add`, CNI ADD of ' +
        '`loopback` and of `bridge` with `host-local` (the Debian containernetworking-plugins, with the config dabba\'s isolated ' +
        'runtime uses: its own bridge holding the first address of a leased /24, so the subnet is routed to that bridge and ' +
        'nothing leaves by the default route), then, in a private mount namespace with the cgroup2 mount hidden as dabba does ' +
        'for crun, an overlay of the host root (the busybox image\'s root) and `crun run -d` of the same ' +
        `\`${busybox} ${sleepArgs.join(' ')}\` with crun's default spec plus the netns and a cgroup. Time per start is the ` +
        'script\'s spawn → exit (the container\'s process runs then). "At once" starts all N scripts together, as dabba runs one ' +
        'worker per pod with none waiting for another; "one after another" gives the unloaded cost of one start. Every bare ' +
        'object carries its own random `bnch…` prefix and is removed by exact name afterwards, also when a run fails.',
      '',
      ...codeBlock(['node bench/run.ts --only pod-startup', dabba.command, '# the bare floor, per pod (sh start-pod.sh INDEX):', ...bare.script.trimEnd().split('\n')]),
      '',
      ...table(['run', 'wall', 'per pod p50 / p99', 'per pod max', 'CPU time per pod', 'dabba wall ÷ this'], rows),
      '',
      'CPU time per pod counts every process of the starts, from cgroup CPU accounting (so other work on the machine is ' +
        'not in it): for dabba, a group of the bench\'s own holding the `dabba up` process and everything it starts (API ' +
        'server, controllers, scheduler and node agent are all that one process), plus the instance\'s container groups where ' +
        'shims, crun and containers move; for the bare floor, a group the scripts join plus crun\'s container groups. ' +
        'Wall times depend on what else the machine runs; CPU time much less.',
      '',
      `Why dabba is slower than the floor (${big} pods): the processes dabba starts (the sandbox shell with \`ip\` and the ` +
        `CNI plugins, the shims, crun, the containers) used ${ms(((dBig.cpuSeconds - dBig.dabbaCpuSeconds) * 1000) / big)} of CPU per pod, ` +
        `about what a bare start uses (${ms((bBig.cpuSeconds * 1000) / big)}); dabba's own process added ${ms((dBig.dabbaCpuSeconds * 1000) / big)} per pod. ` +
        'That process is the API server, the controllers, the scheduler and the node agent together, talking to each other ' +
        `over HTTPS on loopback: the run made ${(dBig.writes / big).toFixed(1)} datastore writes per pod (the pod, its binding, ` +
        'the kubelet\'s status patches, the events of the ReplicaSet controller, scheduler and kubelet, the controllers\' own ' +
        'status), each decoded, admitted, tracked in managedFields, committed to SQLite, answered after an fsync of its ' +
        'log (off the main thread, shared by concurrent writes) and sent to every watcher; the node agent adds the service-account token request and projected volume, its checkpoint and the ' +
        'runtime\'s records, and the fork of each container\'s shim. Every pod worker runs at once, so on 2 cores the pods ' +
        'finish close together and the per-pod p50 is near the wall time.',
      '',
      'Where dabba\'s per-pod time goes, from the same watch (p50 / p99):',
      '',
      ...table(['run', 'seen → bound (scheduler)', 'bound → Ready (node agent, status write, watch)', 'POST → last pod seen (controllers)'], split),
      '',
      `Memory per idle pod, with the ${big} pods Ready and ${settleMs / 1000} s settled: dabba's own RSS went from ` +
        `${mib(dabba.rssBefore)} (after the ${sizes[0]}-pod run was gone, settled) to ${mib(dabba.rssWith)}, ` +
        `${mib((dabba.rssWith - dabba.rssBefore) / big)} per pod; the processes in the instance's cgroup tree (per container: the ` +
        `\`sh\` shim, the \`crun\` that waits for the container, and the container's process) were ${m ? `${m.processes} (${names(m)})` : 'n/a'}, ` +
        `summing to ${m ? mib(m.pss) : 'n/a'} PSS (${m ? mib(m.rss) : 'n/a'} RSS, which counts shared pages once per process), ` +
        `${perPod(m, big)} PSS per pod. The bare floor leaves only the container's process (crun -d exits): ` +
        `${bare.memory ? `${bare.memory.processes} (${names(bare.memory)}), ${mib(bare.memory.pss)} PSS, ${perPod(bare.memory, big)} per pod` : 'n/a'}. ` +
        'Kernel memory (network namespaces, veths, cgroups, overlay mounts) is in neither figure.',
      ...(dabba.exit !== '0' ? ['', `\`dabba up\` exited with ${dabba.exit} after SIGTERM.`] : []),
      ...(dabba.leftovers.length ? ['', `Left behind by dabba after it stopped (removed by the bench): ${dabba.leftovers.join(', ')}.`] : []),
      ...(problems.length ? ['', `Bare floor clean-up problems: ${problems.join('; ')}.`] : []),
    ],
  };
}
