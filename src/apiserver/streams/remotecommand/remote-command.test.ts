import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import type { ExecSession } from '../../../node/runtime/runtime.ts';
import { spawn } from 'node:child_process';
import { attachRun, bufferOutput, execRun, runRemoteCommand, type RemoteCommandStreams, type TerminalSize } from './remote-command.ts';
import { encodeStatus, exitStatus, internalErrorStatus, successStatus, type RemoteCommandStatus } from './protocols.ts';

interface FakeSession extends ExecSession {
  stdin: PassThrough;
  stdout: PassThrough;
  stderr: PassThrough;
  killed: boolean;
  sizes: [number, number][];
  finish(code: number): void;
  fail(e: Error): void;
}

function fakeSession(): FakeSession {
  let resolve: (n: number) => void = () => {};
  let reject: (e: Error) => void = () => {};
  const exit = new Promise<number>((res, rej) => ((resolve = res), (reject = rej)));
  exit.catch(() => {});
  const s: FakeSession = {
    stdin: new PassThrough(),
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    killed: false,
    sizes: [],
    exit,
    resize: (w, h) => s.sizes.push([w, h]),
    kill: () => (s.killed = true),
    finish: (code) => {
      s.stdout.end();
      s.stderr.end();
      resolve(code);
    },
    fail: (e) => reject(e),
  };
  return s;
}

/** A client whose writes are recorded in one log, in the order they reach "the wire". */
function fakeClient(withStdin: boolean) {
  const wire: string[] = [];
  let gone: () => void = () => {};
  let resize: (s: TerminalSize) => void = () => {};
  const writer = (name: string) =>
    new Writable({
      write(chunk: Buffer, _e, cb) {
        // Slow consumer: every write completes later, so buffered output must be flushed before the status.
        setTimeout(() => {
          wire.push(`${name}:${chunk}`);
          cb();
        }, 5);
      },
    });
  const io: RemoteCommandStreams & { statuses: RemoteCommandStatus[]; aborted: boolean } = {
    stdin: withStdin ? new PassThrough() : undefined,
    stdout: writer('out'),
    stderr: writer('err'),
    onResize: (fn) => (resize = fn),
    clientGone: new Promise<void>((r) => (gone = r)),
    statuses: [],
    aborted: false,
    async finish(status) {
      wire.push(`status:${status.status}`);
      io.statuses.push(status);
    },
    abort: () => (io.aborted = true),
  };
  return { io, wire, leave: () => gone(), resize: (s: TerminalSize) => resize(s) };
}

test('output is flushed before the status, and a non-zero exit is reported with its code', async () => {
  const session = fakeSession();
  const { io, wire } = fakeClient(false);
  const done = runRemoteCommand(session, io, execRun((code) => exitStatus(code, ['sh', '-c', 'exit 3'], 'v4.channel.k8s.io')));
  session.stdout.write('a');
  session.stderr.write('b');
  session.stdout.write('c');
  session.finish(3);
  await done;
  assert.deepEqual(wire.slice(-1), ['status:Failure']);
  assert.deepEqual(wire.filter((w) => w.startsWith('out')), ['out:a', 'out:c']);
  assert.deepEqual(io.statuses[0].details, { causes: [{ reason: 'ExitCode', message: '3' }] });
  assert.equal(io.statuses[0].message, 'command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3');
});

test('stdin reaches the command and its end closes the command input; resizes are passed on', async () => {
  const session = fakeSession();
  const c = fakeClient(true);
  let typed = '';
  session.stdin.on('data', (d) => (typed += d));
  const stdinEnded = new Promise((r) => session.stdin.on('end', r));
  const done = runRemoteCommand(session, c.io, execRun(() => successStatus()));
  const typing = c.io.stdin as PassThrough;
  typing.write('hello ');
  typing.end('world');
  await stdinEnded;
  c.resize({ width: 80, height: 24 });
  session.finish(0);
  await done;
  assert.equal(typed, 'hello world');
  assert.deepEqual(session.sizes, [[80, 24]]);
  assert.deepEqual(c.io.statuses, [{ metadata: {}, status: 'Success' }]);
});

test('a client that goes away kills the command and reports nothing', async () => {
  const session = fakeSession();
  const c = fakeClient(false);
  const done = runRemoteCommand(session, c.io, execRun(() => successStatus()));
  c.leave();
  await done;
  assert.equal(session.killed, true);
  assert.equal(c.io.aborted, true);
  assert.deepEqual(c.io.statuses, []);
});

test('a failing session is an internal error; attach reports success whatever the exit code', async () => {
  const failing = fakeSession();
  const c1 = fakeClient(false);
  const d1 = runRemoteCommand(failing, c1.io, execRun(() => successStatus()));
  failing.fail(new Error('container not running'));
  await d1;
  assert.deepEqual(c1.io.statuses, [internalErrorStatus('error executing command in container: container not running')]);

  const attached = fakeSession();
  const c2 = fakeClient(false);
  const d2 = runRemoteCommand(attached, c2.io, attachRun);
  attached.finish(137);
  await d2;
  assert.deepEqual(c2.io.statuses, [{ metadata: {}, status: 'Success' }]);
});

test('the error stream carries JSON from v4 on, the failure text before, and nothing for an old success', () => {
  const failure = exitStatus(2, ['false'], 'v4.channel.k8s.io');
  assert.equal(
    encodeStatus(failure, 'v4.channel.k8s.io')!.toString(),
    '{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [false], exit code 2","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"2"}]}}',
  );
  assert.equal(exitStatus(2, ['false'], 'v5.channel.k8s.io').message, 'command terminated with non-zero exit code: command terminated with exit code 2');
  assert.equal(encodeStatus(successStatus(), 'v5.channel.k8s.io')!.toString(), '{"metadata":{},"status":"Success"}');
  assert.equal(encodeStatus(successStatus(), 'v4.base64.channel.k8s.io')!.toString(), '{"metadata":{},"status":"Success"}');
  assert.equal(encodeStatus(failure, 'v2.channel.k8s.io')!.toString(), failure.message);
  assert.equal(encodeStatus(successStatus(), 'channel.k8s.io'), undefined);
});

test('output of a command that exits before anyone reads is kept', async () => {
  const child = spawn('sh', ['-c', 'echo quick; echo oops >&2']);
  const exit = new Promise<number>((r) => child.on('close', (c) => r(c ?? 1)));
  const session = bufferOutput({ stdout: child.stdout, stderr: child.stderr, resize: () => {}, exit, kill: () => {} });
  await exit;
  await new Promise((r) => setTimeout(r, 50));
  let out = '';
  let err = '';
  session.stdout.on('data', (d) => (out += d));
  session.stderr!.on('data', (d) => (err += d));
  await Promise.all([new Promise((r) => session.stdout.on('end', r)), new Promise((r) => session.stderr!.on('end', r))]);
  assert.equal(out, 'quick\n');
  assert.equal(err, 'oops\n');
});
