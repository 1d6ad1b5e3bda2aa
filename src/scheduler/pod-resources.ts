// What a pod asks of a node: its effective requests (containers, the init-container maximum, sidecars, overhead)
// in the scheduler's units, and the resources a node offers, as the scheduler's framework.Resource.
import type { KObject } from '../apiserver/registry/kobject.ts';
import { Quantity } from '../machinery/quantity.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** framework.Resource: cpu in millicores, memory and storage in bytes, scalar resources (extended, huge pages) as values. */
export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  allowedPodNumber: number;
  scalar: Record<string, number>;
}

export const emptyResource = (): Resource => ({ milliCPU: 0, memory: 0, ephemeralStorage: 0, allowedPodNumber: 0, scalar: {} });

/** schedutil.IsScalarResourceName: extended resources, huge pages, kubernetes.io-prefixed and attachable volumes. */
export function isScalarResourceName(name: string): boolean {
  const prefixedNative = name.includes('kubernetes.io/');
  const extended = name.includes('/') && !prefixedNative && !name.startsWith('requests.');
  return extended || prefixedNative || name.startsWith('hugepages-') || name.startsWith('attachable-volumes-');
}

type ResourceList = Map<string, Quantity>;

function parseList(v: unknown): ResourceList {
  const out: ResourceList = new Map();
  if (v === null || typeof v !== 'object') return out;
  for (const [k, raw] of Object.entries(v)) {
    try {
      out.set(k, Quantity.fromJSON(raw));
    } catch {
      // Validation refuses bad quantities; a stored one that does not parse counts as nothing.
    }
  }
  return out;
}

function addInto(into: ResourceList, add: ResourceList): void {
  for (const [k, q] of add) into.set(k, into.has(k) ? into.get(k)!.add(q) : q);
}

function maxInto(into: ResourceList, other: ResourceList): void {
  for (const [k, q] of other) {
    const cur = into.get(k);
    if (!cur || q.cmp(cur) > 0) into.set(k, q);
  }
}

const list = (v: unknown): Json[] => (Array.isArray(v) ? v : []);

/**
 * The requests of one container: its spec, or what the node already allocated when more (in-place resize, as the
 * scheduler reads resources of running pods).
 */
function containerRequests(c: Json, statuses: Map<string, Json>): ResourceList {
  const reqs = parseList(c?.resources?.requests);
  const allocated = statuses.get(c?.name)?.resources?.requests;
  if (allocated) maxInto(reqs, parseList(allocated));
  return reqs;
}

/**
 * resource.PodRequests (component-helpers, 1.33) without pod-level resources: the sum of the containers and of
 * restartable init containers (sidecars), at least the largest regular init container plus the sidecars started
 * before it, plus the pod overhead.
 */
export function podRequestList(pod: KObject): ResourceList {
  const spec: Json = pod.spec ?? {};
  const statuses = new Map<string, Json>();
  for (const s of [...list(pod.status?.containerStatuses), ...list(pod.status?.initContainerStatuses)]) statuses.set(s?.name, s);
  const reqs: ResourceList = new Map();
  for (const c of list(spec.containers)) addInto(reqs, containerRequests(c, statuses));
  const sidecars: ResourceList = new Map();
  const initMax: ResourceList = new Map();
  for (const c of list(spec.initContainers)) {
    let use = containerRequests(c, statuses);
    if (c?.restartPolicy === 'Always') {
      addInto(reqs, use);
      addInto(sidecars, use);
      use = new Map(sidecars);
    } else {
      const tmp: ResourceList = new Map();
      addInto(tmp, use);
      addInto(tmp, sidecars);
      use = tmp;
    }
    maxInto(initMax, use);
  }
  maxInto(reqs, initMax);
  if (spec.overhead) addInto(reqs, parseList(spec.overhead));
  return reqs;
}

/** Resource.SetMaxResource on an empty Resource: what NodeResourcesFit compares (pods is not a pod request). */
export function toResource(l: ResourceList): Resource {
  const r = emptyResource();
  for (const [name, q] of l) {
    if (name === 'cpu') r.milliCPU = Math.max(r.milliCPU, q.milliValue());
    else if (name === 'memory') r.memory = Math.max(r.memory, q.value());
    else if (name === 'ephemeral-storage') r.ephemeralStorage = Math.max(r.ephemeralStorage, q.value());
    else if (isScalarResourceName(name)) r.scalar[name] = Math.max(r.scalar[name] ?? 0, q.value());
  }
  return r;
}

export function podRequests(pod: KObject): Resource {
  return toResource(podRequestList(pod));
}

/** A node's allocatable as framework.NewResource: pods becomes allowedPodNumber. */
export function nodeAllocatable(node: KObject): Resource {
  const r = emptyResource();
  for (const [name, q] of parseList(node.status?.allocatable)) {
    if (name === 'cpu') r.milliCPU += q.milliValue();
    else if (name === 'memory') r.memory += q.value();
    else if (name === 'pods') r.allowedPodNumber += q.value();
    else if (name === 'ephemeral-storage') r.ephemeralStorage += q.value();
    else if (isScalarResourceName(name)) r.scalar[name] = (r.scalar[name] ?? 0) + q.value();
  }
  return r;
}

export function addResource(into: Resource, r: Resource, sign: 1 | -1 = 1): void {
  into.milliCPU += sign * r.milliCPU;
  into.memory += sign * r.memory;
  into.ephemeralStorage += sign * r.ephemeralStorage;
  for (const [k, v] of Object.entries(r.scalar)) into.scalar[k] = (into.scalar[k] ?? 0) + sign * v;
}
