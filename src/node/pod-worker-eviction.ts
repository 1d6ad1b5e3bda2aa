// Node-pressure eviction for memory, as the kubelet's eviction manager: BestEffort, then Burstable pods over their requests, biggest users first.
import { readFile } from 'node:fs/promises';
import { Quantity } from '../machinery/quantity.ts';
import type { Pod } from './pod-worker-types.ts';
import { byteValue } from './status/resources.ts';

/** The kubelet's default hard threshold: memory.available < 100Mi. */
export const defaultMemoryThresholdBytes = 100 * 1024 * 1024;

export interface PodMemory {
  pod: Pod;
  /** Working set bytes per container name. */
  usage: Map<string, number>;
}

const q = (bytes: number) => Quantity.fromValue(bytes, 'BinarySI').toString();

const podUsage = (p: PodMemory) => [...p.usage.values()].reduce((a, b) => a + b, 0);

const podRequest = (pod: Pod) => pod.spec.containers.reduce((a, c) => a + byteValue(c.resources?.requests, 'memory'), 0);

/** rankMemoryPressure: pods using more than they requested first, then lower priority, then usage above request. */
export function rankForMemory(pods: PodMemory[]): PodMemory[] {
  const exceeds = (p: PodMemory) => podUsage(p) > podRequest(p.pod);
  return [...pods].sort((a, b) => {
    const ea = exceeds(a);
    const eb = exceeds(b);
    if (ea !== eb) return ea ? -1 : 1;
    const pa = a.pod.spec.priority ?? 0;
    const pb = b.pod.spec.priority ?? 0;
    if (pa !== pb) return pa - pb;
    return podUsage(b) - podRequest(b.pod) - (podUsage(a) - podRequest(a.pod));
  });
}

/** evictionMessage for memory. */
export function evictionMessage(p: PodMemory, thresholdBytes: number, availableBytes: number): string {
  let message = `The node was low on resource: memory. Threshold quantity: ${q(thresholdBytes)}, available: ${q(Math.max(0, Math.floor(availableBytes / 1024)) * 1024)}. `;
  for (const c of p.pod.spec.containers) {
    const usage = p.usage.get(c.name);
    if (usage === undefined) continue;
    const request = byteValue(c.resources?.requests, 'memory');
    if (usage > request) message += `Container ${c.name} was using ${q(usage)}, request is ${request ? q(request) : '0'}, has larger consumption of memory. `;
  }
  return message;
}

/** memory.available as the kubelet sees it, from /proc/meminfo's MemAvailable. */
export async function memoryAvailable(path = '/proc/meminfo'): Promise<number | undefined> {
  try {
    const m = /^MemAvailable:\s+(\d+) kB/m.exec(await readFile(path, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
