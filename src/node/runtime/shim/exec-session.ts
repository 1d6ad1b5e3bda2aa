// Exec sessions and port-forward streams as the runtimes hand them to the agent: a host command that enters the container, a TCP connection to the pod.
import { spawn } from 'node:child_process';
import { readFile, readlink } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { runHostCommand } from '../../network/host-command.ts';
import type { ExecOptions, ExecSession } from '../runtime.ts';

/** Runs an exec command on the host (it enters the container itself) and exposes it as an ExecSession. */
export function startExec(cmd: string[], options: ExecOptions, cwd?: string, env?: NodeJS.ProcessEnv): ExecSession {
  const child = spawn(cmd[0], cmd.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], cwd, env: env ?? process.env });
  if (!options.stdin) child.stdin.end();
  child.stdin.on('error', () => {});
  const exit = new Promise<number>((resolve) => {
    child.on('error', () => resolve(126));
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 + signalNumber(signal) : 1)));
  });
  return {
    ...(options.stdin ? { stdin: child.stdin } : {}),
    stdout: child.stdout,
    ...(options.tty ? {} : { stderr: child.stderr }),
    resize(width: number, height: number) {
      if (options.tty && child.pid) void resizePty(child.pid, width, height);
    },
    exit,
    kill() {
      child.kill('SIGKILL');
    },
  };
}

function signalNumber(signal: NodeJS.Signals): number {
  const table: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15, SIGPIPE: 13 };
  return table[signal] ?? 0;
}

/** `script` gave the session a pty; its child's stdin is that pty, which `stty` can resize (sending SIGWINCH). */
async function resizePty(scriptPid: number, width: number, height: number): Promise<void> {
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
