// Runs every benchmark against real `dabba up` child processes and writes BENCHMARKS.md (`npm run bench`).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ClusterProcess, freePort, removeDir, repoRoot, tempDir } from './cluster-process.ts';
import { EtcdProcess, etcdAvailable, etcdBin } from './etcd-process.ts';
import { measureIdleMemory } from './idle-memory.ts';
import { describeMachine } from './machine.ts';
import { measureReadThroughput } from './read-throughput.ts';
import { renderReport, type Section } from './report.ts';
import { measureStartTime } from './start-time.ts';
import { measurePodStartup } from './pod-startup.ts';
import { measureProtobufDecode } from './protobuf-decode.ts';
import { measureWatchFanout } from './watch-fanout.ts';
import { runWriteLatency, writeLatencySection, type WriteResult } from './write-latency.ts';

const all = ['start-time', 'idle-memory', 'write-latency', 'read-throughput', 'watch-fanout', 'protobuf-decode', 'pod-startup'] as const;
type Bench = (typeof all)[number];

const { values } = parseArgs({ options: { only: { type: 'string' }, out: { type: 'string' } }, strict: true });
const only = values.only ? new Set(values.only.split(',').map((s) => s.trim())) : undefined;
for (const name of only ?? []) {
  if (!all.includes(name as Bench)) {
    process.stderr.write(`--only: unknown benchmark "${name}" (one of ${all.join(', ')})\n`);
    process.exit(2);
  }
}
const selected = (b: Bench) => !only || only.has(b);
// A partial run prints its figures instead of overwriting the full report, unless --out says where to write.
const outPath = values.out ?? (only ? undefined : join(repoRoot, 'BENCHMARKS.md'));

const progress = (msg: string) => process.stderr.write(`bench: ${msg}\n`);

function failed(name: string, title: string, e: unknown): Section {
  const message = e instanceof Error ? e.message : String(e);
  return {
    name,
    title,
    headlines: [{ figure: title, measured: 'not measured (failed)', goal: '', vsGoal: '', baseline: '', vsBaseline: '' }],
    body: ['This benchmark failed to run:', '', '```', message.slice(0, 3000), '```'],
  };
}

async function guarded(name: Bench, title: string, work: () => Promise<Section>): Promise<Section> {
  progress(`${name}…`);
  try {
    return await work();
  } catch (e) {
    progress(`${name} failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    return failed(name, title, e);
  }
}

async function withCluster<T>(prefix: string, extraArgs: string[], work: (c: ClusterProcess) => Promise<T>): Promise<T> {
  const dir = await tempDir(prefix);
  const c = new ClusterProcess(dir, await freePort(), extraArgs);
  try {
    await c.start();
    return await work(c);
  } finally {
    await c.stop();
    await removeDir(dir);
  }
}

const machine = describeMachine();
const wall0 = performance.now();
const sections: Section[] = [];
const writeResults: WriteResult[] = [];
let etcdNote: string | undefined;
let etcdCommand: string | undefined;

if (selected('start-time')) sections.push(await guarded('start-time', 'Start-up to /readyz', measureStartTime));

// One server on the default SQLite datastore carries the idle, write, read and watch figures, in that order.
if (['idle-memory', 'write-latency', 'read-throughput', 'watch-fanout'].some((b) => selected(b as Bench))) {
  const later: Section[] = [];
  try {
    await withCluster('main', [], async (c) => {
      if (selected('idle-memory')) sections.push(await guarded('idle-memory', 'Idle memory', () => measureIdleMemory(c)));
      if (selected('write-latency')) {
        progress('write-latency (sqlite)…');
        try {
          writeResults.push(await runWriteLatency(c, 'sqlite'));
        } catch (e) {
          later.push(failed('write-latency', 'Single-object write latency (sqlite)', e));
        }
      }
      if (selected('read-throughput')) later.push(await guarded('read-throughput', 'Read throughput', () => measureReadThroughput(c)));
      if (selected('watch-fanout')) later.push(await guarded('watch-fanout', 'Watch fan-out', () => measureWatchFanout(c)));
    });
  } catch (e) {
    later.push(failed('idle-memory', 'Server on SQLite', e));
  }
  if (selected('write-latency')) {
    if (!(await etcdAvailable())) {
      etcdNote = `etcd: not measured, ${etcdBin} is absent (Debian package \`etcd-server\`).`;
    } else {
      progress('write-latency (etcd)…');
      let etcd: EtcdProcess | undefined;
      try {
        etcd = await EtcdProcess.start();
        etcdCommand = etcd.command;
        writeResults.push(await withCluster('etcd', ['--datastore', etcd.endpoint], (c) => runWriteLatency(c, 'etcd')));
      } catch (e) {
        etcdNote = `etcd: not measured, it failed: ${e instanceof Error ? e.message.split('\n').slice(0, 5).join(' ') : String(e)}`;
      } finally {
        await etcd?.stop();
      }
    }
    if (writeResults.length) sections.push(writeLatencySection(writeResults, etcdNote, etcdCommand));
  }
  sections.push(...later);
}

if (selected('protobuf-decode')) sections.push(await guarded('protobuf-decode', 'Protobuf vs JSON request decoding', measureProtobufDecode));
if (selected('pod-startup')) sections.push(await guarded('pod-startup', 'Pod start-up (isolated runtime)', measurePodStartup));

const notes = [
  `The load generator (this node process) and the servers run on the same machine and share its ${machine.nproc} cores; ` +
    'no figure isolates the server from its client.',
  'Every server is started as users start it, `node bin/dabba.js up --data-dir <fresh temp dir> --port <free port>`, from the ' +
    'repository root, and stopped with SIGTERM; its temp dir is removed afterwards. All traffic goes to 127.0.0.1.',
];
const load1 = Number(machine.loadAtStart.split(' / ')[0]);
if (load1 > machine.nproc / 2) {
  notes.push(`The machine was already busy when the run began (1-minute load ${load1.toFixed(2)} on ${machine.nproc} cores): other work competed with every figure below.`);
}
const report = renderReport(machine, only ? `node bench/run.ts --only ${[...only].join(',')}` : 'npm run bench', (performance.now() - wall0) / 1000, sections, notes);
if (outPath) {
  await writeFile(outPath, report);
  progress(`wrote ${outPath}`);
} else {
  process.stdout.write(report);
}
