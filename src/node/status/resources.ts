// A pod's QoS class and each container's cgroup settings (CPU shares and quota, memory limit, OOM score) as the kubelet derives them.
import { Quantity } from '../../machinery/quantity.ts';
import type { ContainerResources } from '../runtime/runtime.ts';
import type { Container, Pod, PodSpec, ResourceList } from '../pod-worker-types.ts';

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const minShares = 2;
const maxShares = 262144;
const sharesPerCPU = 1024;
const milliCPUToCPU = 1000;
/** cpu.cfs_period_us: 100 ms. */
export const quotaPeriodUs = 100000;
const minQuotaPeriod = 1000;
const guaranteedOOMScoreAdj = -997;
const besteffortOOMScoreAdj = 1000;

function quantity(v: unknown): Quantity | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  try {
    return Quantity.fromJSON(v);
  } catch {
    return undefined;
  }
}

export const milliValue = (list: ResourceList | undefined, name: string): number => quantity(list?.[name])?.milliValue() ?? 0;
export const byteValue = (list: ResourceList | undefined, name: string): number => quantity(list?.[name])?.value() ?? 0;

/** qos.GetPodQOS from the cpu and memory requests and limits of all containers (zero values do not count). */
export function podQOS(spec: PodSpec): QOSClass {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  const add = (into: Map<string, Quantity>, name: string, q: Quantity) => into.set(name, into.has(name) ? into.get(name)!.add(q) : q);
  for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
    const found = new Set<string>();
    for (const kind of ['requests', 'limits'] as const) {
      for (const [name, raw] of Object.entries(c.resources?.[kind] ?? {})) {
        if (name !== 'cpu' && name !== 'memory') continue;
        const q = quantity(raw);
        if (!q || q.sign() <= 0) continue;
        add(kind === 'requests' ? requests : limits, name, q);
        if (kind === 'limits') found.add(name);
      }
    }
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (!lim || lim.cmp(req) !== 0) guaranteed = false;
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/** cm.MilliCPUToShares. */
export function milliCPUToShares(milliCPU: number): number {
  if (milliCPU === 0) return minShares;
  const shares = Math.floor((milliCPU * sharesPerCPU) / milliCPUToCPU);
  return Math.min(maxShares, Math.max(minShares, shares));
}

/** cm.MilliCPUToQuota; undefined means no quota. */
export function milliCPUToQuota(milliCPU: number, period = quotaPeriodUs): number | undefined {
  if (milliCPU === 0) return undefined;
  return Math.max(minQuotaPeriod, Math.floor((milliCPU * period) / milliCPUToCPU));
}

/** qos.GetContainerOOMScoreAdjust. */
export function oomScoreAdj(pod: Pod, container: Container, memoryCapacity: number): number {
  const qos = podQOS(pod.spec);
  if (qos === 'Guaranteed') return guaranteedOOMScoreAdj;
  if (qos === 'BestEffort') return besteffortOOMScoreAdj;
  const request = byteValue(container.resources?.requests, 'memory');
  const adj = 1000 - Math.floor((1000 * request) / memoryCapacity);
  if (adj < 1000 + guaranteedOOMScoreAdj) return 1000 + guaranteedOOMScoreAdj;
  if (adj === besteffortOOMScoreAdj) return adj - 1;
  return adj;
}

/** generateLinuxContainerResources: shares from the request (or the limit when only that is set), quota and memory from limits. */
export function containerResources(pod: Pod, container: Container, memoryCapacity: number): ContainerResources {
  const req = container.resources?.requests;
  const lim = container.resources?.limits;
  const cpuRequest = milliValue(req, 'cpu');
  const cpuLimit = milliValue(lim, 'cpu');
  const memoryLimit = byteValue(lim, 'memory');
  return {
    cpuShares: milliCPUToShares(cpuRequest === 0 && cpuLimit !== 0 ? cpuLimit : cpuRequest),
    cpuQuotaUs: milliCPUToQuota(cpuLimit),
    cpuPeriodUs: quotaPeriodUs,
    memoryLimitBytes: memoryLimit || undefined,
    oomScoreAdj: oomScoreAdj(pod, container, memoryCapacity),
  };
}

/** The sum of the containers' memory limits, or undefined if one has none (the pod's memory-backed emptyDir bound). */
export function podMemoryLimit(spec: PodSpec): number | undefined {
  let sum = 0;
  for (const c of spec.containers) {
    const l = byteValue(c.resources?.limits, 'memory');
    if (!l) return undefined;
    sum += l;
  }
  return sum;
}
