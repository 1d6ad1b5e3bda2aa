// Runs one exec/attach session between a client's streams (any transport) and the node's ExecSession, then reports how it ended.
import { finished } from 'node:stream/promises';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import type { ExecSession } from '../../../node/runtime/runtime.ts';
import { internalErrorStatus, successStatus, type RemoteCommandStatus } from './protocols.ts';

/** Which of the client's streams a session uses (from the request's query). */
export interface StreamOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export interface TerminalSize {
  width: number;
  height: number;
}

/** The client's end of a remote command, whatever carries it (WebSocket channels, SPDY streams). */
export interface RemoteCommandStreams {
  /** What the client types (present when it asked for stdin). */
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  onResize(fn: (size: TerminalSize) => void): void;
  /** Resolves when the client went away before the end. */
  readonly clientGone: Promise<void>;
  /** Reports the outcome on the error stream and closes the connection. */
  finish(status: RemoteCommandStatus): Promise<void>;
  /** Tears the connection down at once. */
  abort(): void;
}

export interface RemoteCommandRun {
  /** How the outcome is reported: the exit code for exec, plain success for attach. */
  statusFor(exitCode: number): RemoteCommandStatus;
  /** Wording for a failure of the session itself (upstream: "error executing command in container"). */
  failurePrefix: string;
}

const ignoreErrors = (s: Readable | Writable | undefined) => s?.on('error', () => {});

/** Copies `from` into `to` without ending `to`; resolves when `from` ended (or failed). */
function copy(from: Readable, to: Writable | undefined): Promise<void> {
  return new Promise((resolve) => {
    ignoreErrors(from);
    if (from.readableEnded || from.destroyed) return resolve();
    from.once('end', resolve);
    from.once('close', resolve);
    from.once('error', () => resolve());
    if (to) from.pipe(to, { end: false });
    else from.resume();
  });
}

async function endAndFlush(w: Writable | undefined): Promise<void> {
  if (!w || w.destroyed) return;
  w.end();
  await finished(w, { readable: false }).catch(() => {});
}

/**
 * Starts reading the session's output at once: a child process drops output nobody reads when it exits, and the
 * client's streams (a SPDY round trip away) may come after a quick command has finished.
 */
export function bufferOutput(session: ExecSession): ExecSession {
  const hold = (r: Readable) => {
    const p = new PassThrough({ highWaterMark: 1024 * 1024 });
    r.on('error', (e) => p.destroy(e));
    return r.pipe(p);
  };
  return { ...session, resize: (w, h) => session.resize(w, h), kill: () => session.kill(), stdout: hold(session.stdout), stderr: session.stderr && hold(session.stderr) };
}

export async function runRemoteCommand(session: ExecSession, io: RemoteCommandStreams, run: RemoteCommandRun): Promise<void> {
  ignoreErrors(io.stdout);
  ignoreErrors(io.stderr);
  ignoreErrors(io.stdin);
  if (io.stdin) {
    if (session.stdin) {
      ignoreErrors(session.stdin);
      io.stdin.pipe(session.stdin);
    } else {
      io.stdin.resume();
    }
  }
  io.onResize((size) => {
    try {
      session.resize(size.width, size.height);
    } catch {
      // A terminal that cannot be resized is not worth ending the session for.
    }
  });
  const outputs = Promise.all([copy(session.stdout, io.stdout), session.stderr ? copy(session.stderr, io.stderr) : Promise.resolve()]);
  let status: RemoteCommandStatus;
  const outcome = Promise.all([session.exit, outputs]).then(
    ([code]) => ({ gone: false as const, code }),
    (e: unknown) => ({ gone: false as const, error: e instanceof Error ? e.message : String(e) }),
  );
  const ended = await Promise.race([outcome, io.clientGone.then(() => ({ gone: true as const }))]);
  if (ended.gone) {
    session.kill();
    io.abort();
    return;
  }
  if ('error' in ended) status = internalErrorStatus(`${run.failurePrefix}: ${ended.error}`);
  else status = ended.code === 0 ? successStatus() : run.statusFor(ended.code);
  if (io.stdin && session.stdin) io.stdin.unpipe(session.stdin);
  await Promise.all([endAndFlush(io.stdout), endAndFlush(io.stderr)]);
  await io.finish(status);
}

export const execRun = (statusFor: (code: number) => RemoteCommandStatus): RemoteCommandRun => ({
  statusFor,
  failurePrefix: 'error executing command in container',
});

/** Attach reports success however the container ended (kubelet ServeAttach). */
export const attachRun: RemoteCommandRun = { statusFor: () => successStatus(), failurePrefix: 'error attaching to container' };
