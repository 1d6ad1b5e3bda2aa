// Reads a process's memory and CPU time from /proc, for figures about the server process itself.
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** Resident set size (VmRSS) and its peak (VmHWM) from /proc/PID/status, in bytes. */
export async function memoryOf(pid: number): Promise<{ rss: number; hwm: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** User + system CPU seconds the process has used so far, from /proc/PID/stat. */
export async function cpuSecondsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15 of the whole line.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / ticksPerSecond();
}

/** Measures the CPU share a process used while `work` ran (1.0 = one core busy). */
export async function cpuShareDuring<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; cpu: number }> {
  const c0 = await cpuSecondsOf(pid);
  const t0 = performance.now();
  const result = await work();
  const cpu = (await cpuSecondsOf(pid)) - c0;
  return { result, cpu: cpu / ((performance.now() - t0) / 1000) };
}

/** Proportional set size (shared pages split among their users) and RSS from /proc/PID/smaps_rollup, in bytes; undefined once the process is gone. */
export async function pssOf(pid: number): Promise<{ pss: number; rss: number } | undefined> {
  const text = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
  return { pss: kb('Pss'), rss: kb('Rss') };
}

/** The command name of a process (`comm`), or '' once it is gone. */
export async function commOf(pid: number): Promise<string> {
  return (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim();
}
