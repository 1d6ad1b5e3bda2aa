// A per-container `sh` shim that outlives the agent: holds the output FIFOs, runs the container, and records its exit code in a file.
import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { runHostCommand } from '../../network/host-command.ts';

export class ShimStartError extends Error {
  readonly code = 'NODE_ERR_SHIM_START';
}

/** Quotes one word for sh. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

export interface ShimScript {
  /** The container's directory: stdout.fifo, stderr.fifo, exit and start-error live here. */
  dir: string;
  /** A comment naming what the shim runs. */
  title: string;
  /** Steps before the container starts; each failing one ends the shim with a start error naming it. */
  prepare: { run: string; what: string }[];
  /** The command whose exit status is the container's. */
  run: string;
}

/**
 * The shim: fds 3/4 hold the FIFOs open read-write so the container never gets SIGPIPE while no agent reads,
 * `ready` on the original stdout tells the agent the FIFOs are held, and `exit` is written atomically.
 */
export function shimScript(s: ShimScript): string {
  const d = shellQuote(s.dir);
  const lines = [
    '#!/bin/sh',
    `# dabba shim: ${s.title.replace(/\n/g, ' ')}`,
    `D=${d}`,
    'exec 3<>"$D/stdout.fifo" 4<>"$D/stderr.fifo" </dev/null',
    'fail() { printf "%s\\n" "$1" > "$D/start-error"; echo 128 > "$D/exit.tmp" && mv "$D/exit.tmp" "$D/exit"; echo "error: $1"; exit 0; }',
    ...s.prepare.map((p) => `{ ${p.run} ; } 2>"$D/prepare.err" || fail "${p.what.replace(/["$`\\]/g, '\\$&')}: $(cat "$D/prepare.err")"`),
    // A subshell ignores SIGPIPE (should the agent be gone already) without passing that on to the container.
    "(trap '' PIPE; echo ready) 2>/dev/null",
    'exec 1>&3 2>&4 3>&- 4>&-',
    s.run,
    'code=$?',
    'echo "$code" > "$D/exit.tmp" && mv "$D/exit.tmp" "$D/exit"',
    '',
  ];
  return lines.join('\n');
}

export async function makeFifos(dir: string): Promise<void> {
  await runHostCommand('mkfifo', ['-m', '0600', join(dir, 'stdout.fifo'), join(dir, 'stderr.fifo')]);
}

/** Starts the shim detached (its own session) and waits until it holds its FIFOs; returns its pid. */
export function spawnShim(argv: string[], env?: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
    let out = '';
    let err = '';
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
      // From here on the shim lives on its own: do not keep the agent's event loop alive for it.
      child.unref();
      child.stdout.destroy();
      child.stderr.destroy();
    };
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n')) {
        if (line === 'ready') settle(() => resolve(child.pid!));
        else settle(() => reject(new ShimStartError(line.replace(/^error: /, ''))));
      }
    });
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', (e) => settle(() => reject(new ShimStartError(`${argv[0]}: ${e.message}`, { cause: e }))));
    child.on('close', (code) => settle(() => reject(new ShimStartError(`the shim exited with ${code} before the container started${err.trim() ? `: ${err.trim()}` : ''}`))));
  });
}

export interface ShimExit {
  exitCode: number;
  finishedAt: string;
  /** Set when the shim failed before the container's process existed. */
  startError?: string;
}

/** The recorded exit of a container, if it has exited. */
export async function readShimExit(dir: string): Promise<ShimExit | undefined> {
  const file = join(dir, 'exit');
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const { mtime } = await stat(file);
  const startError = await readFile(join(dir, 'start-error'), 'utf8').catch(() => undefined);
  return { exitCode: Number(text.trim()), finishedAt: mtime.toISOString(), ...(startError ? { startError: startError.trim() } : {}) };
}

/** Whether `pid` is still the shim of this container (pids get reused after a reboot). */
export async function shimAlive(pid: number | undefined, dir: string): Promise<boolean> {
  if (!pid) return false;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmdline.includes(dir);
}
