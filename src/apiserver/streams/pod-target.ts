// Finds the pod and container a log/exec/attach/port-forward request is for, with upstream's errors for bad choices.
import { StatusError } from '../../machinery/status-error.ts';
import type { KObject } from '../registry/kobject.ts';
import type { SubresourceRequest } from '../registry/resource.ts';
import type { StreamTarget } from '../node-proxy.ts';

interface PodSpecLike {
  nodeName?: string;
  containers?: { name: string }[];
  initContainers?: { name: string }[];
  ephemeralContainers?: { name: string }[];
}

const names = (list: { name: string }[] | undefined): string[] => (list ?? []).map((c) => c.name);

export interface ResolvedPod {
  pod: KObject;
  spec: PodSpecLike;
  /** spec.nodeName; empty when the pod is not scheduled yet. */
  nodeName: string;
}

export async function getPod(r: SubresourceRequest): Promise<ResolvedPod> {
  const pod = await r.store.get(r.namespace, r.name);
  const spec = (pod.spec ?? {}) as PodSpecLike;
  return { pod, spec, nodeName: spec.nodeName ?? '' };
}

/**
 * The container named, or the only one (pkg/registry/core/pod/strategy.go). `forLogs` words the multi-container
 * error as LogLocation does (it also lists ephemeral containers).
 */
export function chooseContainer(pod: ResolvedPod, container: string, forLogs: boolean): string {
  const name = pod.pod.metadata.name!;
  const spec = pod.spec;
  if (container === '') {
    const containers = names(spec.containers);
    if (containers.length === 1) return containers[0];
    if (containers.length === 0) throw StatusError.badRequest(`a container name must be specified for pod ${name}`);
    let msg = `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`;
    const init = names(spec.initContainers);
    if (init.length) msg += ` or one of the init containers: [${init.join(' ')}]`;
    const ephemeral = names(spec.ephemeralContainers);
    if (forLogs && ephemeral.length) msg += ` or one of the ephemeral containers: [${ephemeral.join(' ')}]`;
    throw StatusError.badRequest(msg);
  }
  const all = [...names(spec.containers), ...names(spec.initContainers), ...names(spec.ephemeralContainers)];
  if (!all.includes(container)) throw StatusError.badRequest(`container ${container} is not valid for pod ${name}`);
  return container;
}

/** exec/attach/port-forward need a node to reach (logs of an unscheduled pod are simply empty). */
export function requireNode(pod: ResolvedPod): void {
  if (!pod.nodeName) throw StatusError.badRequest(`pod ${pod.pod.metadata.name} does not have a host assigned`);
}

export function streamTarget(pod: ResolvedPod, container: string): StreamTarget {
  return {
    namespace: pod.pod.metadata.namespace ?? '',
    pod: pod.pod.metadata.name!,
    podUid: pod.pod.metadata.uid ?? '',
    container,
  };
}

/** The node agent is not connected (upstream: the kubelet cannot be dialled). */
export function nodeUnreachable(nodeName: string): StatusError {
  return StatusError.internal(new Error(`error dialing backend: the node agent for node "${nodeName}" is not connected`));
}
