// Describes the machine and source tree a benchmark run measured: CPUs, memory, kernel, node, date, commit.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { repoRoot } from './cluster-process.ts';

export interface Machine {
  nproc: number;
  cpuModel: string;
  memory: string;
  kernel: string;
  node: string;
  nodePath: string;
  date: string;
  commit: string;
  /** 1/5/15-minute load averages when the run began: other work on the machine skews every figure. */
  loadAtStart: string;
}

function run(cmd: string, args: string[]): string | undefined {
  try {
    return execFileSync(cmd, args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function memTotal(): string {
  try {
    const m = /MemTotal:\s+(\d+) kB/.exec(readFileSync('/proc/meminfo', 'utf8'));
    if (m) return `${(Number(m[1]) / 1024 / 1024).toFixed(1)} GiB`;
  } catch {
    // fall through to os.totalmem
  }
  return `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`;
}

export function describeMachine(): Machine {
  const head = run('git', ['rev-parse', '--short', 'HEAD']) ?? 'unknown';
  const dirty = run('git', ['status', '--porcelain', '--untracked-files=no', '--', 'src', 'bin']);
  return {
    nproc: Number(run('nproc', []) ?? cpus().length),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memory: memTotal(),
    kernel: `${run('uname', ['-sr']) ?? release()}`,
    node: process.version,
    nodePath: process.execPath,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    loadAtStart: loadavg().map((l) => l.toFixed(2)).join(' / '),
    commit: dirty ? `${head} (with uncommitted changes in src/ or bin/)` : head,
  };
}
