// The node agent's side of the API server's pod subresources: logs from the CRI log files, exec/attach/port-forward through the runtime.
import type { Duplex, Readable } from 'node:stream';
import type { LogOptions, NodeProxy, StreamTarget } from '../apiserver/node-proxy.ts';
import { StatusError } from '../machinery/status-error.ts';
import type { ContainerRuntime, ExecOptions, ExecSession } from './runtime/runtime.ts';
import { readLog } from './logs/cri-log.ts';
import type { PodWorker } from './pod-worker.ts';

export class AgentNodeProxy implements NodeProxy {
  readonly #runtime: ContainerRuntime;
  readonly #worker: (podUid: string, namespace: string, name: string) => PodWorker | undefined;

  constructor(runtime: ContainerRuntime, worker: (podUid: string, namespace: string, name: string) => PodWorker | undefined) {
    this.#runtime = runtime;
    this.#worker = worker;
  }

  #find(t: Omit<StreamTarget, 'container'>): PodWorker {
    const w = this.#worker(t.podUid, t.namespace, t.pod);
    if (!w) throw new StatusError(404, 'NotFound', `pod "${t.pod}" cannot be found - no logs available`);
    return w;
  }

  async logs(target: StreamTarget, options: LogOptions): Promise<Readable> {
    const w = this.#worker(target.podUid, target.namespace, target.pod);
    if (!w) throw StatusError.badRequest(`pod "${target.pod}" cannot be found - no logs available`);
    const f = w.logFile(target.container, options.previous);
    if ('error' in f) throw StatusError.badRequest(f.error);
    let sinceMs: number | undefined;
    if (options.sinceSeconds !== undefined) sinceMs = Date.now() - options.sinceSeconds * 1000;
    else if (options.sinceTime) sinceMs = Date.parse(options.sinceTime);
    return readLog(
      f.path,
      { tailLines: options.tailLines, sinceMs, timestamps: options.timestamps, limitBytes: options.limitBytes, follow: options.follow },
      f.running,
    );
  }

  async exec(target: StreamTarget, command: string[], options: ExecOptions): Promise<ExecSession> {
    const id = this.#find(target).runningContainer(target.container);
    if (!id) throw new StatusError(404, 'NotFound', `container not found ("${target.container}")`);
    return this.#runtime.exec(id, command, options);
  }

  async attach(target: StreamTarget, options: { stdin: boolean; tty: boolean }): Promise<ExecSession> {
    const w = this.#find(target);
    const id = w.runningContainer(target.container);
    if (!id) throw new StatusError(404, 'NotFound', `container ${target.container} not found in pod ${target.pod}_${target.namespace}`);
    return this.#runtime.attach(id, options);
  }

  async portForward(target: Omit<StreamTarget, 'container'>, port: number): Promise<Duplex> {
    const sb = this.#find(target).sandbox;
    if (!sb) throw new StatusError(404, 'NotFound', `pod not found ("${target.pod}_${target.namespace}")`);
    return this.#runtime.portForward(sb.id, port);
  }
}
