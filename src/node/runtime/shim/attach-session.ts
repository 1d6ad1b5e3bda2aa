// An attach to a container's main process as containerd's CRI plugin serves it: live output, the shared stdin, stdinOnce.
import { PassThrough, Writable } from 'node:stream';
import type { Socket } from 'node:net';
import type { ExecSession } from '../runtime.ts';
import { ContainerNotFoundError } from '../runtime-errors.ts';
import { closeContainerStdin, openContainerStdin } from './container-stdin.ts';
import type { ContainerOutputs } from './container-outputs.ts';
import { resizeTerminalOf } from './exec-session.ts';

/** The container an attach is for, with the settings it was created with (they decide, not the request). */
export interface AttachTarget {
  name: string;
  /** The container's directory (its stdin FIFO). */
  dir: string;
  /** ContainerOutputs.follow for this container. */
  follow(stream: 'stdout' | 'stderr', onData: (chunk: Buffer) => void, onEnd: () => void): (() => void) | undefined;
  stdin: boolean;
  stdinOnce: boolean;
  tty: boolean;
  resize(width: number, height: number): Promise<void>;
}

/**
 * Output comes from now on (none is replayed) until the container's output ends or the client goes. When the
 * client's stdin ends, a `stdinOnce` container without a terminal has its stdin closed and the output goes on until
 * it exits; otherwise the attach ends there (containerd's ContainerIO.Attach). A client that goes away while
 * attached to the stdin of a `stdinOnce` container without a terminal closes that stdin too.
 */
export async function attachSession(t: AttachTarget, wantStdin: boolean): Promise<ExecSession> {
  const stdout = new PassThrough({ highWaterMark: 1024 * 1024 });
  // With a terminal, everything the container writes comes through the terminal, on stdout.
  const stderr = t.tty ? undefined : new PassThrough({ highWaterMark: 1024 * 1024 });
  let resolveExit: (code: number) => void = () => {};
  const exit = new Promise<number>((r) => (resolveExit = r));
  let finished = false;
  const unfollow: (() => void)[] = [];
  let sock: Socket | undefined;
  let resizing = Promise.resolve();

  const finish = () => {
    if (finished) return;
    finished = true;
    for (const f of unfollow) f();
    stdout.end();
    stderr?.end();
    sock?.destroy();
    resolveExit(0);
  };

  let open = 2;
  const ended = () => {
    if (--open === 0) finish();
  };
  for (const [stream, out] of [['stdout', stdout], ['stderr', stderr]] as const) {
    const stop = t.follow(stream, (chunk) => out?.write(chunk), ended);
    if (!stop) {
      for (const f of unfollow) f();
      throw new ContainerNotFoundError(`container ${t.name} is not running`);
    }
    unfollow.push(stop);
  }

  const stdinAttached = wantStdin && t.stdin;
  if (stdinAttached) {
    sock = await openContainerStdin(t.dir);
    sock?.on('error', () => sock?.destroy());
  }
  let stdinDone = false;
  const endStdin = async () => {
    if (stdinDone) return;
    stdinDone = true;
    const s = sock;
    if (s && !s.destroyed) await new Promise<void>((resolve) => s.end(resolve).once('close', resolve));
    if (t.stdinOnce && !t.tty) await closeContainerStdin(t.dir);
    else finish();
  };

  const stdin = stdinAttached
    ? new Writable({
        write(chunk: Buffer, _enc, cb) {
          if (!sock || sock.destroyed || finished) return cb();
          sock.write(chunk, () => cb());
        },
        final(cb) {
          void endStdin().then(() => cb());
        },
      })
    : undefined;
  stdin?.on('error', () => {});

  return {
    ...(stdin ? { stdin } : {}),
    stdout,
    ...(stderr ? { stderr } : {}),
    // In order: kubectl sends its size plus one and then its size, and the last one must win.
    resize(width, height) {
      resizing = resizing.then(() => t.resize(width, height)).catch(() => {});
    },
    exit,
    kill() {
      if (stdinAttached) void endStdin();
      finish();
    },
  };
}

/** What a runtime keeps of a container that an attach needs. */
export interface AttachableContainer {
  id: string;
  name: string;
  stdin?: boolean;
  stdinOnce?: boolean;
  tty?: boolean;
}

/**
 * Attaches to a running container of either runtime: output from its log readers, stdin through its FIFO in `dir`,
 * terminal resizes applied to the pty its main process (`pid()`) holds.
 */
export function attachContainer(c: AttachableContainer, dir: string, outputs: ContainerOutputs, pid: () => Promise<number | undefined>, wantStdin: boolean): Promise<ExecSession> {
  return attachSession(
    {
      name: c.name,
      dir,
      follow: (stream, onData, onEnd) => outputs.follow(c.id, stream, onData, onEnd),
      stdin: c.stdin === true,
      stdinOnce: c.stdinOnce === true,
      tty: c.tty === true,
      resize: async (width, height) => {
        const p = c.tty ? await pid() : undefined;
        if (p) await resizeTerminalOf(p, width, height);
      },
    },
    wantStdin,
  );
}
