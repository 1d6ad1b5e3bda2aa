// A stand-in for the node agent's NodeProxy in stream tests: commands run as host processes, ports are local ones.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { PassThrough, Readable, type Duplex } from 'node:stream';
import { StatusError } from '../../../src/machinery/status-error.ts';
import type { LogOptions, NodeProxy, StreamTarget } from '../../../src/apiserver/node-proxy.ts';
import type { ExecSession } from '../../../src/node/runtime/runtime.ts';

/** Each container's log: five lines a second apart, ending long ago (so `--since` can cut them). */
const start = Date.parse('2025-01-01T00:00:00Z');
const logLines = (container: string, previous: boolean) =>
  Array.from({ length: 5 }, (_, i) => ({
    at: new Date(start + i * 1000),
    text: previous ? `${container} previous line ${i + 1}` : `${container} line ${i + 1}`,
  }));

const rfc3339Nano = (d: Date) => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');

function applyLogOptions(lines: { at: Date; text: string }[], o: LogOptions, now: number): string {
  let sel = lines;
  if (o.sinceSeconds !== undefined) sel = sel.filter((l) => l.at.getTime() >= now - o.sinceSeconds! * 1000);
  if (o.sinceTime !== undefined) sel = sel.filter((l) => l.at.getTime() >= Date.parse(o.sinceTime!));
  if (o.tailLines !== undefined) sel = o.tailLines === 0 ? [] : sel.slice(-o.tailLines);
  return sel.map((l) => `${o.timestamps ? `${rfc3339Nano(l.at)} ` : ''}${l.text}\n`).join('');
}

export interface FakeNodeProxyOptions {
  /** The working directory of exec'd commands. */
  workDir: string;
}

export function fakeNodeProxy(options: FakeNodeProxyOptions): NodeProxy & { calls: string[] } {
  const calls: string[] = [];
  const run = (argv: string[], stdin: boolean): ExecSession => {
    const child = spawn(argv[0], argv.slice(1), { cwd: options.workDir, stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    const exit = new Promise<number>((resolve, reject) => {
      child.once('error', (e: NodeJS.ErrnoException) =>
        reject(e.code === 'ENOENT' ? new Error(`exec: "${argv[0]}": executable file not found in $PATH`) : e),
      );
      child.once('close', (code, signal) => resolve(code ?? (signal ? 128 + 9 : 1)));
    });
    exit.catch(() => {});
    // Raw child output, as a naive runtime would hand it over: the API server must start reading it at once.
    return {
      stdin: child.stdin ?? undefined,
      stdout: child.stdout!,
      stderr: child.stderr!,
      resize: () => {},
      exit,
      kill: () => child.kill('SIGKILL'),
    };
  };
  return {
    calls,
    async logs(target: StreamTarget, o: LogOptions): Promise<Readable> {
      calls.push(`logs ${target.namespace}/${target.pod}/${target.container} ${JSON.stringify(o)}`);
      if (target.container === 'waiting') {
        throw StatusError.badRequest(`container "waiting" in pod "${target.pod}" is waiting to start: ContainerCreating`);
      }
      let text = applyLogOptions(logLines(target.container, o.previous), o, Date.now());
      if (o.limitBytes !== undefined) text = text.slice(0, o.limitBytes);
      if (!o.follow) return Readable.from([Buffer.from(text)]);
      // Following: the history, then two more lines a little later, then the container "exits".
      const out = new PassThrough();
      out.write(text);
      let n = 0;
      const timer = setInterval(() => {
        n++;
        out.write(`${o.timestamps ? `${rfc3339Nano(new Date())} ` : ''}${target.container} followed ${n}\n`);
        if (n === 2) {
          clearInterval(timer);
          out.end();
        }
      }, 300);
      out.on('close', () => clearInterval(timer));
      return out;
    },
    async exec(target: StreamTarget, command: string[], o: { stdin: boolean; tty: boolean }): Promise<ExecSession> {
      calls.push(`exec ${target.namespace}/${target.pod}/${target.container} ${JSON.stringify(command)} stdin=${o.stdin} tty=${o.tty}`);
      return run(command, o.stdin);
    },
    async attach(target: StreamTarget, o: { stdin: boolean; tty: boolean }): Promise<ExecSession> {
      calls.push(`attach ${target.namespace}/${target.pod}/${target.container} stdin=${o.stdin} tty=${o.tty}`);
      // The "container" echoes what it reads, like `cat`.
      return run(['cat'], o.stdin);
    },
    async portForward(target: Omit<StreamTarget, 'container'>, port: number): Promise<Duplex> {
      calls.push(`portforward ${target.namespace}/${target.pod} ${port}`);
      return new Promise((resolve, reject) => {
        const s = connect(port, '127.0.0.1');
        s.once('connect', () => resolve(s));
        s.once('error', (e: NodeJS.ErrnoException) =>
          reject(new Error(e.code === 'ECONNREFUSED' ? `dial tcp 127.0.0.1:${port}: connect: connection refused` : e.message)),
        );
      });
    },
  };
}
