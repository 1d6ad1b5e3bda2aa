// A container's stdin: a FIFO the shim keeps open through a holder process, written by attached clients, closed for good once.
//
// The container reads `stdin.fifo`; a reader sees end of file only when no writer is left. The shim starts a small
// holder (`tail --pid=<shim> -f /dev/null` with the FIFO as its stdout) before the container, so the container
// waits for input while nobody is attached, also while no agent runs at all. An attached client opens its own write
// end; closing the container's stdin (stdinOnce) means ending the holder, after which the last client's close is
// the end of file.
import { closeSync, constants, openSync } from 'node:fs';
import { readFile, readlink } from 'node:fs/promises';
import { Socket } from 'node:net';
import { join } from 'node:path';

export const stdinFifoName = 'stdin.fifo';
const holderFile = 'stdin-holder';

/**
 * Shim lines that start the holder and make the FIFO the shell's stdin (which the container inherits). The shell
 * holds its write end on fd 5 only until the holder has it, and never keeps one itself.
 */
export function stdinHolderLines(): string[] {
  return [
    `exec 5<>"$D/${stdinFifoName}"`,
    'tail -f --pid=$$ /dev/null >&5 5>&- 2>/dev/null &',
    'H=$!',
    `echo $H > "$D/${holderFile}"`,
    `exec 5>&- <"$D/${stdinFifoName}"`,
  ];
}

/** Shim line for after the container: ends the holder, if it is still the one holding this FIFO. */
export function stdinHolderStopLine(): string {
  return `[ "$(readlink /proc/$H/fd/1 2>/dev/null)" = "$D/${stdinFifoName}" ] && kill $H 2>/dev/null`;
}

/** The holder's pid while it still holds this container's FIFO. */
async function holderPid(dir: string): Promise<number | undefined> {
  const pid = Number((await readFile(join(dir, holderFile), 'utf8').catch(() => '')).trim());
  if (!pid) return undefined;
  const held = await readlink(`/proc/${pid}/fd/1`).catch(() => '');
  return held === join(dir, stdinFifoName) ? pid : undefined;
}

/** Whether the container's stdin is still open (its holder runs). */
export async function containerStdinOpen(dir: string): Promise<boolean> {
  return (await holderPid(dir)) !== undefined;
}

/** Closes the container's stdin for good (stdinOnce): once attached writers close too, it reads end of file. */
export async function closeContainerStdin(dir: string): Promise<void> {
  const pid = await holderPid(dir);
  if (!pid) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // Gone meanwhile.
  }
}

/** A write end of the container's stdin for one attached client (undefined once its stdin was closed). */
export async function openContainerStdin(dir: string): Promise<Socket | undefined> {
  if (!(await containerStdinOpen(dir))) return undefined;
  let fd: number;
  try {
    // Non-blocking: the holder is a reader too, so this cannot fail for want of one while it runs.
    fd = openSync(join(dir, stdinFifoName), constants.O_WRONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    // A FIFO wrapped as a pipe handle: writes go through epoll and wait while the container does not read.
    return new Socket({ fd, readable: false, writable: true });
  } catch {
    closeSync(fd);
    return undefined;
  }
}
