// NodeResourcesFit: the pod's requests must fit in the node's allocatable minus what its pods already request.
import { Status, type FilterPlugin } from '../framework.ts';
import type { NodeInfo } from '../node-info.ts';
import { podRequests, type Resource } from '../pod-resources.ts';

export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
}

/** fitsRequest (1.33): every shortfall, "Too many pods" first, then cpu, memory, ephemeral-storage and scalar resources. */
export function insufficientResources(req: Resource, node: NodeInfo): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const alloc = node.allocatable;
  const used = node.requested;
  if (node.pods.length + 1 > alloc.allowedPodNumber) {
    out.push({ resourceName: 'pods', reason: 'Too many pods', requested: 1, used: node.pods.length, capacity: alloc.allowedPodNumber });
  }
  if (req.milliCPU === 0 && req.memory === 0 && req.ephemeralStorage === 0 && Object.keys(req.scalar).length === 0) return out;
  if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - used.milliCPU) {
    out.push({ resourceName: 'cpu', reason: 'Insufficient cpu', requested: req.milliCPU, used: used.milliCPU, capacity: alloc.milliCPU });
  }
  if (req.memory > 0 && req.memory > alloc.memory - used.memory) {
    out.push({ resourceName: 'memory', reason: 'Insufficient memory', requested: req.memory, used: used.memory, capacity: alloc.memory });
  }
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
    out.push({
      resourceName: 'ephemeral-storage',
      reason: 'Insufficient ephemeral-storage',
      requested: req.ephemeralStorage,
      used: used.ephemeralStorage,
      capacity: alloc.ephemeralStorage,
    });
  }
  // Upstream walks a Go map here; sorting keeps the order of several shortfalls stable.
  for (const name of Object.keys(req.scalar).sort()) {
    const q = req.scalar[name]!;
    if (q === 0) continue;
    const have = alloc.scalar[name] ?? 0;
    const taken = used.scalar[name] ?? 0;
    if (q > have - taken) out.push({ resourceName: name, reason: `Insufficient ${name}`, requested: q, used: taken, capacity: have });
  }
  return out;
}

const stateKey = 'NodeResourcesFit';

export const nodeResourcesFit: FilterPlugin = {
  name: 'NodeResourcesFit',
  events: ['NodeAdd', 'NodeAllocatable', 'AssignedPodDelete', 'AssignedPodUpdate'],
  preFilter(ctx) {
    ctx.state.set(stateKey, podRequests(ctx.pod));
    return undefined;
  },
  filter(ctx, node) {
    const req = (ctx.state.get(stateKey) as Resource | undefined) ?? podRequests(ctx.pod);
    const short = insufficientResources(req, node);
    // In 1.33 a shortfall is always Unschedulable (preemption may help), even beyond the node's whole allocatable.
    return short.length ? Status.unschedulable(...short.map((s) => s.reason)) : undefined;
  },
};
