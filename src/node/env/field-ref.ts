// The downward API: a pod's fields (fieldRef) and a container's resources (resourceFieldRef) as strings, for env and volumes.
import { Quantity } from '../../machinery/quantity.ts';
import type { Container, ObjectFieldSelector, Pod, ResourceFieldSelector, ResourceList } from '../pod-worker-types.ts';
import { downwardAPIFieldLabels } from '../../machinery/downward-api.ts';

/** A downward API value that cannot be produced; its message is what the kubelet reports. */
export class DownwardAPIError extends Error {
  readonly code = 'NODE_ERR_DOWNWARD_API';
}

/** Go's %q for the strings of labels and annotations. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c === 0x07) out += '\\a';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c === 0x0b) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + '"';
}

/** fieldpath.FormatMap: sorted `key="value"` lines. */
export function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${goQuote(m![k])}`)
    .join('\n');
}

/** `metadata.labels['app']` → ['metadata.labels', 'app']. */
function splitSubscript(path: string): [string, string] | undefined {
  const m = /^(.*)\['(.*)'\]$/.exec(path);
  return m ? [m[1], m[2]] : undefined;
}

/** podshelper.ConvertDownwardAPIFieldLabel's checks. */
function checkFieldLabel(selector: ObjectFieldSelector): void {
  const version = selector.apiVersion ?? 'v1';
  if (version !== 'v1') throw new DownwardAPIError(`unsupported pod version: ${version}`);
  const sub = splitSubscript(selector.fieldPath);
  if (sub) {
    if (sub[0] !== 'metadata.annotations' && sub[0] !== 'metadata.labels') throw new DownwardAPIError(`field label does not support subscript: ${selector.fieldPath}`);
    return;
  }
  if (!downwardAPIFieldLabels.has(selector.fieldPath)) throw new DownwardAPIError(`field label not supported: ${selector.fieldPath}`);
}

/** fieldpath.ExtractFieldPathAsString for the metadata a pod's containers may see. */
export function extractFieldPath(pod: Pod, fieldPath: string): string {
  const sub = splitSubscript(fieldPath);
  if (sub) {
    if (sub[0] === 'metadata.annotations') return pod.metadata.annotations?.[sub[1]] ?? '';
    if (sub[0] === 'metadata.labels') return pod.metadata.labels?.[sub[1]] ?? '';
    throw new DownwardAPIError(`fieldPath ${goQuote(fieldPath)} does not support subscript`);
  }
  switch (fieldPath) {
    case 'metadata.annotations':
      return formatMap(pod.metadata.annotations);
    case 'metadata.labels':
      return formatMap(pod.metadata.labels);
    case 'metadata.name':
      return pod.metadata.name;
    case 'metadata.namespace':
      return pod.metadata.namespace;
    case 'metadata.uid':
      return pod.metadata.uid;
  }
  throw new DownwardAPIError(`unsupported fieldPath: ${fieldPath}`);
}

export interface PodAddresses {
  podIPs: string[];
  hostIPs: string[];
}

/** kubelet.podFieldSelectorRuntimeValue: env's fieldRef, with the pod and host addresses this node knows. */
export function podFieldValue(selector: ObjectFieldSelector, pod: Pod, addr: PodAddresses): string {
  checkFieldLabel(selector);
  switch (selector.fieldPath) {
    case 'spec.nodeName':
      return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? '';
    case 'status.hostIP':
      return addr.hostIPs[0] ?? '';
    case 'status.hostIPs':
      return addr.hostIPs.join(',');
    case 'status.podIP':
      return addr.podIPs[0] ?? '';
    case 'status.podIPs':
      return addr.podIPs.join(',');
  }
  return extractFieldPath(pod, selector.fieldPath);
}

const q = (v: unknown): Quantity | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  try {
    return Quantity.fromJSON(v);
  } catch {
    return undefined;
  }
};

/** kubelet.defaultPodLimitsForDownwardAPI: a container's missing cpu, memory and ephemeral-storage limits are the node's allocatable. */
export function limitsForDownwardAPI(container: Container, allocatable: ResourceList): ResourceList {
  const limits: ResourceList = { ...(container.resources?.limits ?? {}) };
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    if (limits[r] === undefined && allocatable[r] !== undefined) limits[r] = allocatable[r];
  }
  return limits;
}

/** resource.ExtractContainerResourceValue: the value divided by the divisor, rounded up. */
export function containerResourceValue(selector: ResourceFieldSelector, container: Container, allocatable: ResourceList): string {
  const divisor = q(selector.divisor);
  const div = !divisor || divisor.isZero() ? Quantity.parse('1') : divisor;
  const limits = limitsForDownwardAPI(container, allocatable);
  const requests = container.resources?.requests ?? {};
  const [kind, name] = selector.resource.split(/\.(.*)/s);
  const list = kind === 'limits' ? limits : kind === 'requests' ? requests : undefined;
  if (list && (name === 'cpu' || name === 'memory' || name === 'ephemeral-storage' || name?.startsWith('hugepages-'))) {
    const v = q(list[name]) ?? Quantity.parse('0');
    if (name === 'cpu') return String(Math.ceil(v.milliValue() / div.milliValue()));
    return String(Math.ceil(v.value() / div.value()));
  }
  throw new DownwardAPIError(`unsupported container resource : ${selector.resource}`);
}

/** resource.ExtractResourceValueByContainerName and its unnamed form. */
export function resourceFieldValue(selector: ResourceFieldSelector, pod: Pod, container: Container | undefined, allocatable: ResourceList): string {
  let c = container;
  if (selector.containerName) {
    c = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((x) => x.name === selector.containerName);
    if (!c) throw new DownwardAPIError(`container ${selector.containerName} not found`);
  }
  if (!c) throw new DownwardAPIError('resourceFieldRef needs a containerName');
  return containerResourceValue(selector, c, allocatable);
}
