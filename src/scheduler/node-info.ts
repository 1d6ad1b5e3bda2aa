// A node as the scheduler sees it: the Node, the pods on it, what they request and the host ports they hold.
import type { KObject } from '../apiserver/registry/kobject.ts';
import { addResource, emptyResource, nodeAllocatable, podRequests, type Resource } from './pod-resources.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** A host port a container asks for, after HostPortInfo's sanitising (empty IP is 0.0.0.0, empty protocol TCP). */
export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

export const bindAllHostIP = '0.0.0.0';

/** getContainerPorts: the ports of a pod's containers that name a host port. */
export function podHostPorts(pod: KObject): HostPort[] {
  const out: HostPort[] = [];
  for (const c of (pod.spec?.containers ?? []) as Json[]) {
    for (const p of (c?.ports ?? []) as Json[]) {
      const port = Number(p?.hostPort ?? 0);
      if (!(port > 0)) continue;
      out.push({ ip: p.hostIP || bindAllHostIP, protocol: p.protocol || 'TCP', port });
    }
  }
  return out;
}

/** Pods with the same uid are the same pod; the key survives the informer replacing the object. */
export const podKey = (pod: KObject): string => `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;

export class NodeInfo {
  readonly node: KObject;
  readonly allocatable: Resource;
  readonly pods: KObject[] = [];
  readonly requested: Resource = emptyResource();
  /** ip → "protocol/port" set, as HostPortInfo. */
  readonly usedPorts = new Map<string, Set<string>>();

  constructor(node: KObject, pods: KObject[] = []) {
    this.node = node;
    this.allocatable = nodeAllocatable(node);
    for (const p of pods) this.addPod(p);
  }

  get name(): string {
    return this.node.metadata.name ?? '';
  }

  get labels(): Record<string, string> {
    return (this.node.metadata.labels ?? {}) as Record<string, string>;
  }

  addPod(pod: KObject): void {
    this.pods.push(pod);
    addResource(this.requested, podRequests(pod));
    for (const hp of podHostPorts(pod)) {
      let set = this.usedPorts.get(hp.ip);
      if (!set) this.usedPorts.set(hp.ip, (set = new Set()));
      set.add(`${hp.protocol}/${hp.port}`);
    }
  }

  /** A copy without the pods `drop` selects (preemption's "what if these were gone"). */
  without(drop: (pod: KObject) => boolean): NodeInfo {
    return new NodeInfo(
      this.node,
      this.pods.filter((p) => !drop(p)),
    );
  }

  /** A copy with extra pods added (nominated pods considered as if running). */
  with(extra: KObject[]): NodeInfo {
    return new NodeInfo(this.node, [...this.pods, ...extra]);
  }

  /** HostPortInfo.CheckConflict. */
  portConflicts(hp: HostPort): boolean {
    const key = `${hp.protocol}/${hp.port}`;
    if (hp.ip === bindAllHostIP) {
      for (const set of this.usedPorts.values()) if (set.has(key)) return true;
      return false;
    }
    return [bindAllHostIP, hp.ip].some((ip) => this.usedPorts.get(ip)?.has(key) ?? false);
  }
}
