// A pod's QoS class and each container's cgroup settings (CPU shares and quota, memory limit, OOM score) as the kubelet derives them.
import { Quantity } from '../../machinery/quantity.ts';
import { computePodQOS, type QOSClass } from '../../machinery/pod-qos.ts';
import type { ContainerResources } from '../runtime/runtime.ts';
import type { Container, Pod, PodSpec, ResourceList } from '../pod-worker-types.ts';

export type { QOSClass };

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

/** qos.GetPodQOS: the class of the pod's spec (one implementation, shared with the API server). */
export const podQOS = (spec: PodSpec): QOSClass => computePodQOS(spec);

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
