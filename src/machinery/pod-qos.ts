// A pod's QoS class (qos.ComputePodQOS) from its containers' cpu and memory requests and limits: the API server sets status.qosClass with it, the node agent sizes cgroups and OOM scores by it.
import { Quantity } from './quantity.ts';

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

interface ResourcesOf {
  resources?: { requests?: Record<string, unknown> | null; limits?: Record<string, unknown> | null } | null;
}

/** Guaranteed when every container limits cpu and memory and requests equal limits; BestEffort with neither; zero values do not count. */
export function computePodQOS(spec: { containers?: readonly ResourcesOf[] | null; initContainers?: readonly ResourcesOf[] | null } | null | undefined): QOSClass {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  const add = (into: Map<string, Quantity>, name: string, q: Quantity) => into.set(name, into.has(name) ? into.get(name)!.add(q) : q);
  const containers = [...(Array.isArray(spec?.containers) ? spec.containers : []), ...(Array.isArray(spec?.initContainers) ? spec.initContainers : [])];
  for (const c of containers) {
    const found = new Set<string>();
    for (const [kind, into] of [
      ['requests', requests],
      ['limits', limits],
    ] as const) {
      const rl = c?.resources?.[kind];
      if (rl === null || typeof rl !== 'object') continue;
      for (const [name, raw] of Object.entries(rl)) {
        if (name !== 'cpu' && name !== 'memory') continue;
        let q: Quantity;
        try {
          q = Quantity.fromJSON(raw as never);
        } catch {
          continue;
        }
        if (q.sign() <= 0) continue;
        add(into, name, q);
        if (kind === 'limits') found.add(name);
      }
    }
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (!lim || lim.cmp(req) !== 0) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
