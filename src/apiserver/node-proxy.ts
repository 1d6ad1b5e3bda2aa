// How the API server reaches the node agent for pods' logs, exec, attach and port-forward (upstream: the kubelet's port 10250).
import type { Duplex, Readable } from 'node:stream';
import type { ExecOptions, ExecSession } from '../node/runtime/runtime.ts';

export interface LogOptions {
  container: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  limitBytes?: number;
}

export interface StreamTarget {
  namespace: string;
  pod: string;
  podUid: string;
  container: string;
}

export interface NodeProxy {
  /** The container's log as text/plain lines (with RFC3339Nano prefixes when `timestamps`); throws a StatusError when absent. */
  logs(target: StreamTarget, options: LogOptions): Promise<Readable>;
  exec(target: StreamTarget, command: string[], options: ExecOptions): Promise<ExecSession>;
  attach(target: StreamTarget, options: { stdin: boolean; tty: boolean }): Promise<ExecSession>;
  portForward(target: Omit<StreamTarget, 'container'>, port: number): Promise<Duplex>;
}
