// A per-container `sh` shim that outlives the agent: holds the output FIFOs, runs the container, and records its exit code in a file.
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { stdinFifoName, stdinHolderLines, stdinHolderStopLine } from './container-stdin.ts';

export class ShimStartError extends Error {
  readonly code = 'NODE_ERR_SHIM_START';
}

/** Quotes one word for sh. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

export interface ShimScript {
  /** The container's directory: stdout.fifo, stderr.fifo, stdin.fifo, exit and start-error live here. */
  dir: string;
  /** A comment naming what the shim runs. */
  title: string;
  /** Steps before the container starts; each failing one ends the shim with a start error naming it. */
  prepare: { run: string; what: string }[];
  /** The command whose exit status is the container's; it reads the shell's stdin (/dev/null, or the stdin FIFO). */
  run: string;
  /** Keep `stdin.fifo` open as the container's stdin (see container-stdin.ts) instead of /dev/null. */
  stdin?: boolean;
}

/**
 * The shim makes its output FIFOs and holds them open read-write on fds 3/4, so the container never gets SIGPIPE
 * while no agent reads; `ready` on the original stdout tells the agent the FIFOs are held, and the shim waits for a
 * line on stdin (the agent's output readers are open then) before the container starts. `exit` is written atomically.
 */
export function shimScript(s: ShimScript): string {
  const d = shellQuote(s.dir);
  const lines = [
    '#!/bin/sh',
    `# dabba shim: ${s.title.replace(/\n/g, ' ')}`,
    `D=${d}`,
    'fail() { printf "%s\\n" "$1" > "$D/start-error"; echo 128 > "$D/exit.tmp" && mv "$D/exit.tmp" "$D/exit"; echo "error: $1"; exit 0; }',
    `mkfifo -m 0600 "$D/stdout.fifo" "$D/stderr.fifo"${s.stdin ? ` "$D/${stdinFifoName}"` : ''} 2>"$D/prepare.err" || fail "making the FIFOs: $(cat "$D/prepare.err")"`,
    'exec 3<>"$D/stdout.fifo" 4<>"$D/stderr.fifo"',
    ...s.prepare.map((p) => `{ ${p.run} ; } </dev/null 2>"$D/prepare.err" || fail "${p.what.replace(/["$`\\]/g, '\\$&')}: $(cat "$D/prepare.err")"`),
    // A subshell ignores SIGPIPE (should the agent be gone already) without passing that on to the container.
    "(trap '' PIPE; echo ready) 2>/dev/null",
    // Whatever the agent answers, or end of file if it is gone: the output waits in the FIFOs for the next agent.
    'read -r _ || true',
    'exec </dev/null 1>&3 2>&4 3>&- 4>&-',
    ...(s.stdin ? stdinHolderLines() : []),
    s.run,
    'code=$?',
    ...(s.stdin ? [stdinHolderStopLine()] : []),
    'echo "$code" > "$D/exit.tmp" && mv "$D/exit.tmp" "$D/exit"',
    '',
  ];
  return lines.join('\n');
}

/**
 * Starts the shim detached (its own session) and waits until it holds its FIFOs; then `attach` runs (the agent opens
 * its output readers) and the shim is told to start the container. Returns the shim's pid.
 */
export function spawnShim(argv: string[], attach: () => void, env?: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { detached: true, stdio: ['pipe', 'pipe', 'pipe'], env: env ?? process.env });
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
    child.stdin.on('error', () => {});
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const line = out.split('\n')[0];
      if (!out.includes('\n')) return;
      if (line !== 'ready') {
        child.stdin.destroy();
        settle(() => reject(new ShimStartError(line.replace(/^error: /, ''))));
        return;
      }
      try {
        attach();
      } catch (e) {
        // The container must not run without its output readers.
        child.stdin.destroy();
        settle(() => reject(new ShimStartError(`reading the container's output: ${(e as Error).message}`, { cause: e })));
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // gone
        }
        return;
      }
      child.stdin.end('start\n');
      settle(() => resolve(child.pid!));
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

export type ContainerStart = 'started' | 'exited' | 'gone' | 'timeout';

/**
 * Waits until the OCI runtime wrote the container's pid file (`started`) or the shim its exit file (`exited`), the
 * shim vanished without either (`gone`), or `timeoutMs` passed. The directory is watched (inotify), so a hundred
 * starting containers do not poll the file system; a slow poll covers a shim that dies without writing anything.
 */
export function waitForContainerStart(dir: string, shimPid: number, timeoutMs = Number.POSITIVE_INFINITY): Promise<ContainerStart> {
  return new Promise((resolve) => {
    let done = false;
    let checking = false;
    let again = false;
    const started = async () => (await readFile(join(dir, 'pid'), 'utf8').catch(() => '')).trim() !== '';
    const exited = async () => (await stat(join(dir, 'exit')).catch(() => undefined)) !== undefined;
    const finish = (r: ContainerStart) => {
      if (done) return;
      done = true;
      watcher?.close();
      clearInterval(poll);
      clearTimeout(timer);
      resolve(r);
    };
    const check = async (alsoShim: boolean) => {
      if (checking) {
        again = true;
        return;
      }
      checking = true;
      try {
        do {
          again = false;
          if (await started()) return finish('started');
          if (await exited()) return finish('exited');
          if (alsoShim && !(await shimAlive(shimPid, dir)) && !(await started()) && !(await exited())) return finish('gone');
        } while (again && !done);
      } finally {
        checking = false;
      }
    };
    let watcher: ReturnType<typeof watch> | undefined;
    try {
      watcher = watch(dir, (_event, file) => {
        if (file === 'pid' || file === 'exit') void check(false);
      });
      watcher.on('error', () => undefined);
    } catch {
      watcher = undefined;
    }
    const poll = setInterval(() => void check(true), watcher ? 100 : 10);
    const timer = Number.isFinite(timeoutMs) ? setTimeout(() => finish('timeout'), timeoutMs) : undefined;
    void check(false);
  });
}
