// An in-memory ContainerRuntime for the node agent's tests: containers run, exit, get killed and exec when a test says so.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Duplex, PassThrough } from 'node:stream';
import type {
  ContainerConfig,
  ContainerRuntime,
  ContainerStats,
  ContainerStatus,
  ExecOptions,
  ExecSession,
  PodSandbox,
  PodSandboxConfig,
} from './runtime/runtime.ts';

export interface FakeContainer {
  id: string;
  sandboxId: string;
  config: ContainerConfig;
  status: ContainerStatus;
}

export type ExecHandler = (c: FakeContainer, argv: string[]) => { code: number; output?: string } | Promise<{ code: number; output?: string }>;

/** Records calls; containers stay `running` until `exit()` or a stop; exec answers through `onExec`. */
export class FakeRuntime implements ContainerRuntime {
  readonly name = 'host' as const;
  readonly sandboxes = new Map<string, PodSandbox & { config: PodSandboxConfig; stopped: boolean }>();
  readonly containers = new Map<string, FakeContainer>();
  readonly calls: string[] = [];
  onExec: ExecHandler = () => ({ code: 0 });
  /** Called when a container starts; may make it exit (e.g. a crash) by calling exit(). */
  onStart: (c: FakeContainer) => void = () => {};
  failCreate: ((config: ContainerConfig) => Error | undefined) | undefined;
  #next = 0;
  #ip = 1;

  async init(): Promise<void> {
    this.calls.push('init');
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<PodSandbox> {
    const id = `sb-${++this.#next}`;
    const sb = { id, podUid: config.podUid, ip: config.hostNetwork ? '192.168.0.2' : `10.244.0.${++this.#ip}`, config, stopped: false };
    this.sandboxes.set(id, sb);
    this.calls.push(`runPodSandbox ${config.name}`);
    return { id, podUid: sb.podUid, ip: sb.ip };
  }

  async stopPodSandbox(id: string): Promise<void> {
    this.calls.push(`stopPodSandbox ${id}`);
    const sb = this.sandboxes.get(id);
    if (sb) sb.stopped = true;
    for (const c of this.containers.values()) if (c.sandboxId === id && c.status.state === 'running') this.exit(c.id, 137, 'Error');
  }

  async removePodSandbox(id: string): Promise<void> {
    this.calls.push(`removePodSandbox ${id}`);
    this.sandboxes.delete(id);
  }

  async createContainer(sandbox: PodSandbox, config: ContainerConfig): Promise<string> {
    const err = this.failCreate?.(config);
    if (err) throw err;
    const id = `c-${++this.#next}`;
    this.containers.set(id, { id, sandboxId: sandbox.id, config, status: { id, name: config.name, state: 'created', createdAt: new Date().toISOString() } });
    mkdirSync(dirname(config.logPath), { recursive: true });
    this.calls.push(`createContainer ${config.name}`);
    return id;
  }

  async startContainer(id: string): Promise<void> {
    const c = this.#get(id);
    c.status = { ...c.status, state: 'running', startedAt: new Date().toISOString(), pid: 1000 + this.#next };
    this.calls.push(`startContainer ${c.config.name}`);
    this.onStart(c);
  }

  async stopContainer(id: string, graceSeconds: number): Promise<void> {
    const c = this.#get(id);
    this.calls.push(`stopContainer ${c.config.name} ${graceSeconds}`);
    if (c.status.state === 'running') this.exit(id, 143, 'Error');
  }

  async removeContainer(id: string): Promise<void> {
    this.calls.push(`removeContainer ${this.containers.get(id)?.config.name ?? id}`);
    this.containers.delete(id);
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    return { ...this.#get(id).status };
  }

  async list() {
    return {
      sandboxes: [...this.sandboxes.values()].map((s) => ({ id: s.id, podUid: s.podUid, ip: s.ip })),
      containers: [...this.containers.values()].map((c) => ({ ...c.status, sandboxId: c.sandboxId })),
    };
  }

  async exec(id: string, argv: string[], _options: ExecOptions): Promise<ExecSession> {
    const c = this.#get(id);
    if (c.status.state !== 'running') throw new Error(`container ${id} is not running`);
    const stdout = new PassThrough();
    const exit = Promise.resolve(this.onExec(c, argv)).then((r) => {
      stdout.end(r.output ?? '');
      return r.code;
    });
    return { stdout, exit, resize() {}, kill() {} };
  }

  /** Attach answers with what `onAttach` returns (by default: no output until the container exits). */
  onAttach: (c: FakeContainer, options: ExecOptions) => ExecSession = () => ({ stdout: new PassThrough(), exit: new Promise<number>(() => {}), resize() {}, kill() {} });

  async attach(id: string, options: ExecOptions): Promise<ExecSession> {
    const c = this.#get(id);
    if (c.status.state !== 'running') throw new Error(`container ${id} is not running`);
    this.calls.push(`attach ${c.config.name} stdin=${options.stdin} tty=${options.tty}`);
    return this.onAttach(c, options);
  }

  async portForward(_sandboxId: string, _port: number): Promise<Duplex> {
    return new PassThrough();
  }

  async stats(_id: string): Promise<ContainerStats | undefined> {
    return undefined;
  }

  async shutdown(): Promise<void> {
    this.calls.push('shutdown');
  }

  /** Makes a running container exit. */
  exit(id: string, exitCode: number, reason = exitCode === 0 ? 'Completed' : 'Error'): void {
    const c = this.#get(id);
    c.status = { ...c.status, state: 'exited', exitCode, reason, finishedAt: new Date().toISOString() };
  }

  /** Appends a line to the container's CRI log. */
  log(id: string, line: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    appendFileSync(this.#get(id).config.logPath, `${new Date().toISOString()} ${stream} F ${line}\n`);
  }

  /** The newest container of that name. */
  byName(name: string): FakeContainer | undefined {
    return [...this.containers.values()].filter((c) => c.config.name === name).at(-1);
  }

  #get(id: string): FakeContainer {
    const c = this.containers.get(id);
    if (!c) throw Object.assign(new Error(`container ${id} not found`), { code: 'NOT_FOUND' });
    return c;
  }
}
