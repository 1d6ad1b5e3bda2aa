// The Node object the kubelet writes for this machine: labels, capacity and allocatable, conditions and their events, nodeInfo.
import { Quantity } from '../../machinery/quantity.ts';
import type { MachineInfo } from './machine-info.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** The kubelet's default --max-pods. */
export const defaultMaxPods = 110;
/** The kubelet's default hard eviction thresholds that reserve capacity: memory.available<100Mi, nodefs.available<10%. */
const memoryAvailableThreshold = Quantity.parse('100Mi');
/** "10%" parsed as the kubelet does: a float32, widened to float64 when multiplied. */
const nodefsAvailableFraction = Math.fround(Math.fround(10) / 100);
export const kubeletPort = 10250;
export const kubeletVersion = 'v1.33.0';

export const controlPlaneRoleLabel = 'node-role.kubernetes.io/control-plane';
export const excludeFromLoadBalancersLabel = 'node.kubernetes.io/exclude-from-external-load-balancers';

/** Labels the kubelet keeps in step with the machine on every start (updateDefaultLabels). */
export function defaultLabels(nodeName: string, architecture: string): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': architecture,
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': architecture,
    'kubernetes.io/hostname': nodeName.slice(0, 63).replace(/[^a-z0-9]+$/, ''),
    'kubernetes.io/os': 'linux',
  };
}

/**
 * Labels set once when the node is first registered: dabba's only node is its control plane, labelled as
 * kubeadm (and so kind and minikube) label it; its NoSchedule taint is left off, as single-node clusters do.
 */
export function registrationLabels(nodeName: string, architecture: string): Record<string, string> {
  return { ...defaultLabels(nodeName, architecture), [controlPlaneRoleLabel]: '', [excludeFromLoadBalancersLabel]: '' };
}

const bytes = (n: number) => Quantity.fromValue(Math.max(0, Math.trunc(n)), 'BinarySI');

/** cadvisor.CapacityFromMachineInfo plus pods and ephemeral-storage, as the MachineInfo setter fills capacity. */
export function nodeCapacity(m: MachineInfo, maxPods = defaultMaxPods): Record<string, Quantity> {
  const c: Record<string, Quantity> = {
    cpu: Quantity.fromMilli(m.cpus * 1000),
    'ephemeral-storage': bytes(m.ephemeralStorageBytes),
    memory: bytes(m.memoryBytes),
    pods: Quantity.fromValue(maxPods),
  };
  for (const hp of m.hugePages) {
    const pageSize = bytes(hp.sizeKiB * 1024);
    c[`hugepages-${pageSize.toString()}`] = bytes(hp.sizeKiB * 1024 * hp.count);
  }
  return c;
}

/** Capacity minus the hard eviction thresholds (no kube/system reservations), minus huge pages from memory; never negative. */
export function nodeAllocatable(capacity: Record<string, Quantity>): Record<string, Quantity> {
  const reserved: Record<string, Quantity> = { memory: memoryAvailableThreshold };
  const storage = capacity['ephemeral-storage'];
  if (storage) reserved['ephemeral-storage'] = Quantity.fromValue(Math.trunc(storage.value() * nodefsAvailableFraction), 'BinarySI');
  const zero = (q: Quantity) => (q.sign() < 0 ? Quantity.fromValue(0, q.format) : q);
  const out: Record<string, Quantity> = {};
  for (const [k, v] of Object.entries(capacity)) out[k] = zero(reserved[k] ? v.sub(reserved[k]) : v);
  for (const [k, v] of Object.entries(capacity)) {
    if (k.startsWith('hugepages-') && out.memory) out.memory = zero(out.memory.sub(v));
  }
  return out;
}

const toStrings = (r: Record<string, Quantity>): Record<string, string> => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.toString()]));

/** What the node agent and its eviction manager tell the status setters. */
export interface NodeHealth {
  /** Runtime, network and storage errors; any makes the node NotReady with their text. */
  runtimeErrors: string[];
  memoryPressure: boolean;
  diskPressure: boolean;
  pidPressure: boolean;
}

interface PressureSetter {
  type: string;
  pressure: keyof Pick<NodeHealth, 'memoryPressure' | 'diskPressure' | 'pidPressure'>;
  on: [reason: string, message: string, event: string];
  off: [reason: string, message: string, event: string];
}

const pressureSetters: PressureSetter[] = [
  {
    type: 'MemoryPressure',
    pressure: 'memoryPressure',
    on: ['KubeletHasInsufficientMemory', 'kubelet has insufficient memory available', 'NodeHasInsufficientMemory'],
    off: ['KubeletHasSufficientMemory', 'kubelet has sufficient memory available', 'NodeHasSufficientMemory'],
  },
  {
    type: 'DiskPressure',
    pressure: 'diskPressure',
    on: ['KubeletHasDiskPressure', 'kubelet has disk pressure', 'NodeHasDiskPressure'],
    off: ['KubeletHasNoDiskPressure', 'kubelet has no disk pressure', 'NodeHasNoDiskPressure'],
  },
  {
    type: 'PIDPressure',
    pressure: 'pidPressure',
    on: ['KubeletHasInsufficientPID', 'kubelet has insufficient PID available', 'NodeHasInsufficientPID'],
    off: ['KubeletHasSufficientPID', 'kubelet has sufficient PID available', 'NodeHasSufficientPID'],
  },
];

/**
 * The kubelet's condition setters, in their order (MemoryPressure, DiskPressure, PIDPressure, Ready), applied to the
 * previous conditions. Returns the new list and the node events the transitions record (NodeHasSufficientMemory…).
 */
export function nodeConditions(previous: Json[] | undefined, health: NodeHealth, capacity: Record<string, unknown>, now: string): { conditions: Json[]; events: string[] } {
  const conditions: Json[] = (previous ?? []).map((c) => ({ ...c }));
  const events: string[] = [];
  for (const s of pressureSetters) {
    let c = conditions.find((x) => x.type === s.type);
    const created = !c;
    c ??= { type: s.type, status: 'Unknown' };
    c.lastHeartbeatTime = now;
    const under = health[s.pressure];
    const want = under ? 'True' : 'False';
    if (c.status !== want) {
      const [reason, message, event] = under ? s.on : s.off;
      Object.assign(c, { status: want, reason, message, lastTransitionTime: now });
      events.push(event);
    }
    if (created) conditions.push(c);
  }

  const errors = [...health.runtimeErrors];
  const missing = ['cpu', 'memory', 'pods', 'ephemeral-storage'].filter((r) => capacity[r] === undefined);
  if (missing.length) errors.push(`missing node capacity for resources: ${missing.join(', ')}`);
  const uniq = [...new Set(errors)];
  const ready: Json = uniq.length
    ? { type: 'Ready', status: 'False', lastHeartbeatTime: now, reason: 'KubeletNotReady', message: uniq.length === 1 ? uniq[0] : `[${uniq.join(', ')}]` }
    : { type: 'Ready', status: 'True', lastHeartbeatTime: now, reason: 'KubeletReady', message: 'kubelet is posting ready status' };
  const i = conditions.findIndex((x) => x.type === 'Ready');
  if (i < 0) {
    conditions.push({ ...ready, lastTransitionTime: now });
  } else {
    const changed = conditions[i].status !== ready.status;
    conditions[i] = { ...ready, lastTransitionTime: changed ? now : conditions[i].lastTransitionTime };
    if (changed) events.push(ready.status === 'True' ? 'NodeReady' : 'NodeNotReady');
  }
  return { conditions, events };
}

export interface NodeStatusInputs {
  machine: MachineInfo;
  hostname: string;
  containerRuntimeVersion: string;
  health: NodeHealth;
  maxPods?: number;
  /** Images on the node, as the kubelet lists them (largest first); empty leaves the field out. */
  images?: { names: string[]; sizeBytes: number }[];
}

/** The kubelet's setNodeStatus: every status setter applied to the previous status. */
export function nodeStatus(previous: Json | undefined, inputs: NodeStatusInputs, now: string): { status: Json; events: string[] } {
  const m = inputs.machine;
  const capacity = nodeCapacity(m, inputs.maxPods);
  const { conditions, events } = nodeConditions(previous?.conditions, inputs.health, capacity, now);
  const addresses: Json[] = [];
  if (m.internalIP) addresses.push({ type: 'InternalIP', address: m.internalIP });
  addresses.push({ type: 'Hostname', address: inputs.hostname });
  const status: Json = {
    capacity: toStrings(capacity),
    allocatable: toStrings(nodeAllocatable(capacity)),
    conditions,
    addresses,
    daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } },
    nodeInfo: {
      machineID: m.machineID,
      systemUUID: m.systemUUID,
      bootID: m.bootID,
      kernelVersion: m.kernelVersion,
      osImage: m.osImage,
      containerRuntimeVersion: inputs.containerRuntimeVersion,
      kubeletVersion,
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: m.architecture,
      swap: { capacity: m.swapBytes },
    },
  };
  if (inputs.images?.length) status.images = inputs.images;
  return { status, events };
}

/** nodeStatusHasChanged: any difference but the conditions' heartbeat times. */
export function nodeStatusChanged(a: Json, b: Json): boolean {
  const strip = (s: Json) => JSON.stringify({ ...s, conditions: (s?.conditions ?? []).map((c: Json) => ({ ...c, lastHeartbeatTime: undefined })) });
  return strip(a) !== strip(b);
}

/**
 * The node's share of the cluster pod range, as the node IPAM controller gives the first node: the first /24 of a
 * wider range (--node-cidr-mask-size 24), the range itself when it is /24 or narrower.
 */
export function nodePodCIDR(clusterCIDR: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(clusterCIDR);
  if (!m) return clusterCIDR;
  const bits = Number(m[5]);
  const ip = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
  const size = Math.max(bits, 24);
  const base = size === 0 ? 0 : (ip & (~0 << (32 - size))) >>> 0;
  return `${[base >>> 24, (base >>> 16) & 255, (base >>> 8) & 255, base & 255].join('.')}/${size}`;
}
