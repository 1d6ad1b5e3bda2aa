// Exec sessions and port-forward streams as the runtimes hand them to the agent: a host command that enters the container, a TCP connection to the pod.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFile, readlink } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { PassThrough, type Duplex } from 'node:stream';
import { runHostCommand } from '../../network/host-command.ts';
import type { ExecOptions, ExecSession, TerminalSize } from '../runtime.ts';

/** How a runtime runs an exec: the host command that enters the container, and how its terminal is resized. */
export interface ExecCommand {
  /** The host argv, given the client's terminal size (tty only; undefined when it sent none). */
  argv(size: TerminalSize | undefined): string[] | Promise<string[]>;
  /** Resizes the session's terminal (default: the pty `script` gave its child). */
  resize?(childPid: number, width: number, height: number): Promise<void>;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs an exec command on the host and exposes it as an ExecSession at once. With a terminal, the command starts
 * once the client's size is known (ExecOptions.terminalSize), so its terminal has that size from the first moment.
 */
export function startExec(cmd: ExecCommand, options: ExecOptions): ExecSession {
  const stdout = new PassThrough();
  const stderr = options.tty ? undefined : new PassThrough();
  const stdin = options.stdin ? new PassThrough() : undefined;
  let child: ChildProcessWithoutNullStreams | undefined;
  let killed = false;
  let resizing = Promise.resolve();
  const endOutputs = () => {
    stdout.end();
    stderr?.end();
  };
  const exit = (async () => {
    const size = options.tty && options.terminalSize ? await options.terminalSize : undefined;
    const argv = await cmd.argv(size);
    if (killed) {
      endOutputs();
      return 128 + 9;
    }
    const c = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], cwd: cmd.cwd, env: cmd.env ?? process.env });
    child = c;
    c.stdin.on('error', () => {});
    if (stdin) stdin.pipe(c.stdin);
    else c.stdin.end();
    c.stdout.pipe(stdout);
    // With a terminal everything comes through it; `script` has nothing to say on stderr.
    if (stderr) c.stderr.pipe(stderr);
    else c.stderr.resume();
    return new Promise<number>((resolve) => {
      c.on('error', () => {
        endOutputs();
        resolve(126);
      });
      c.on('close', (code, signal) => resolve(code ?? (signal ? 128 + signalNumber(signal) : 1)));
    });
  })().catch((e: unknown) => {
    endOutputs();
    throw e;
  });
  return {
    ...(stdin ? { stdin } : {}),
    stdout,
    ...(stderr ? { stderr } : {}),
    // In order, so that the last size the client sent is the one that stays.
    resize(width: number, height: number) {
      if (!options.tty || !child?.pid) return;
      const pid = child.pid;
      resizing = resizing.then(() => (cmd.resize ?? resizePty)(pid, width, height)).catch(() => {});
    },
    exit,
    kill() {
      killed = true;
      child?.kill('SIGKILL');
    },
  };
}

/** A terminal's environment as containerd sets it: TERM=xterm unless the container names its own. */
export function withTerminalType(env: string[]): string[] {
  return env.some((e) => e.startsWith('TERM=')) ? env : [...env, 'TERM=xterm'];
}

function signalNumber(signal: NodeJS.Signals): number {
  const table: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15, SIGPIPE: 13 };
  return table[signal] ?? 0;
}

/** `script` gave the session a pty; its child's stdin is that pty, which `stty` can resize (sending SIGWINCH). */
export async function resizePty(scriptPid: number, width: number, height: number): Promise<void> {
  const children = (await readFile(`/proc/${scriptPid}/task/${scriptPid}/children`, 'utf8').catch(() => '')).trim().split(/\s+/);
  const child = Number(children[0]);
  if (child) await resizeTerminalOf(child, width, height);
}

/**
 * Resizes the terminal a process has on its stdin, stdout or stderr (the kernel then sends its foreground process
 * group SIGWINCH). Through /proc, so a pty of a container's own devpts instance is reached from the host too.
 */
export async function resizeTerminalOf(pid: number, width: number, height: number): Promise<void> {
  for (const fd of [0, 1, 2]) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    if (!target.startsWith('/dev/pts/') && target !== '/dev/console') continue;
    await runHostCommand('stty', ['-F', `/proc/${pid}/fd/${fd}`, 'rows', String(height), 'cols', String(width)]).catch(() => {});
    return;
  }
}

export function connectTo(host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const sock: Socket = connect({ host, port });
    sock.once('connect', () => resolve(sock));
    sock.once('error', reject);
  });
}
