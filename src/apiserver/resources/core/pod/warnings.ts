// Non-fatal remarks on a PodSpec and its metadata (pkg/api/pod/warnings.go), returned as `Warning` headers.
import { FieldPath } from '../../../../machinery/field-errors.ts';
import { Quantity } from '../../../../machinery/quantity.ts';
import { isDNS1123Label } from '../../../../machinery/validation.ts';
import type { KObject } from '../../../registry/kobject.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const list = (v: unknown): Json[] => (Array.isArray(v) ? v : []);
const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

const deprecatedAnnotations: { key: string; message: string }[] = [
  { key: 'scheduler.alpha.kubernetes.io/critical-pod', message: 'non-functional in v1.16+; use the "priorityClassName" field instead' },
  { key: 'security.alpha.kubernetes.io/sysctls', message: 'non-functional in v1.11+; use the "sysctls" field instead' },
  { key: 'security.alpha.kubernetes.io/unsafe-sysctls', message: 'non-functional in v1.11+; use the "sysctls" field instead' },
];

const deprecatedVolumes: [string, string, string][] = [
  ['photonPersistentDisk', 'photonPersistentDisk', 'deprecated in v1.11, non-functional in v1.16+'],
  ['gitRepo', 'gitRepo', 'deprecated in v1.11'],
  ['scaleIO', 'scaleIO', 'deprecated in v1.16, non-functional in v1.22+'],
  ['flocker', 'flocker', 'deprecated in v1.22, non-functional in v1.25+'],
  ['storageos', 'storageOS', 'deprecated in v1.22, non-functional in v1.25+'],
  ['quobyte', 'quobyte', 'deprecated in v1.22, non-functional in v1.25+'],
  ['glusterfs', 'glusterfs', 'deprecated in v1.25, non-functional in v1.26+'],
  ['cephfs', 'cephfs', 'deprecated in v1.28, non-functional in v1.31+'],
  ['rbd', 'rbd', 'deprecated in v1.28, non-functional in v1.31+'],
];

/** A fractional byte count: memory and ephemeral-storage must be whole bytes. */
function fractionalBytes(v: unknown): string | undefined {
  try {
    const q = Quantity.fromJSON(v);
    return q.milliValue() % 1000 !== 0 ? q.toString() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * warningsForPodSpecAndMeta: `base` is the path of the template (`spec.template`) or the root for a Pod,
 * so paths read `spec.template.spec.containers[0]…` or `spec.containers[0]…`.
 */
export function podSpecWarnings(base: FieldPath, spec: Json, meta: Json): string[] {
  const warnings: string[] = [];
  if (!isObject(spec)) return warnings;
  const annotations = isObject(meta?.annotations) ? meta.annotations : {};
  const specPath = base.child('spec');
  for (const d of deprecatedAnnotations) {
    if (d.key in annotations) warnings.push(`${base.child('metadata', 'annotations').key(d.key)}: ${d.message}`);
  }
  list(spec.volumes).forEach((v: Json, i: number) => {
    for (const [key, pathName, message] of deprecatedVolumes) {
      if (v?.[key] != null) warnings.push(`${specPath.child('volumes').index(i).child(pathName)}: ${message}`);
    }
  });
  if (list(spec.imagePullSecrets).length > 1) {
    const seen = new Set<string>();
    list(spec.imagePullSecrets).forEach((s: Json, i: number) => {
      const name = String(s?.name ?? '');
      if (seen.has(name)) warnings.push(`${specPath.child('imagePullSecrets').index(i).child('name')}: duplicate name ${JSON.stringify(name)}`);
      else seen.add(name);
    });
  }
  list(spec.imagePullSecrets).forEach((s: Json, i: number) => {
    if (!s?.name) warnings.push(`${specPath.child('imagePullSecrets').index(i).child('name')}: invalid empty name ""`);
  });
  for (const res of ['memory', 'ephemeral-storage']) {
    const frac = fractionalBytes(spec.overhead?.[res]);
    if (frac) warnings.push(`${specPath.child('overhead').key(res)}: fractional byte value ${JSON.stringify(frac)} is invalid, must be an integer`);
  }
  const visit = (kind: string, fn: (c: Json, p: FieldPath) => void) =>
    list(spec[kind]).forEach((c: Json, i: number) => fn(c, specPath.child(kind).index(i)));
  const containerWarnings = (c: Json, p: FieldPath) => {
    for (const kind of ['limits', 'requests']) {
      for (const res of ['memory', 'ephemeral-storage']) {
        const frac = fractionalBytes(c?.resources?.[kind]?.[res]);
        if (frac) warnings.push(`${p.child('resources', kind).key(res)}: fractional byte value ${JSON.stringify(frac)} is invalid, must be an integer`);
      }
    }
    const env = list(c?.env);
    if (env.length > 1) {
      const seen = new Set<string>();
      env.forEach((item: Json, i: number) => {
        const name = String(item?.name ?? '');
        if (!seen.has(name)) {
          seen.add(name);
          return;
        }
        const ref = `$(${name})`;
        const value = String(item?.value ?? '');
        if (item?.valueFrom != null || value === ref || !value.includes(ref)) {
          warnings.push(`${p.child('env').index(i)}: hides previous definition of ${JSON.stringify(name)}, which may be dropped when using apply`);
        }
      });
    }
  };
  for (const kind of ['initContainers', 'containers', 'ephemeralContainers']) visit(kind, containerWarnings);
  const ports = new Map<string, { path: FieldPath; hostIP: string; hostPort: number }[]>();
  for (const kind of ['initContainers', 'containers', 'ephemeralContainers']) {
    visit(kind, (c, p) => {
      list(c?.ports).forEach((port: Json, i: number) => {
        const path = p.child('ports').index(i);
        const hostIP = String(port?.hostIP ?? '');
        const hostPort = Number(port?.hostPort ?? 0);
        const key = `${port?.containerPort ?? 0}/${port?.protocol ?? ''}`;
        for (const other of ports.get(key) ?? []) {
          if (hostIP === other.hostIP && hostPort === other.hostPort) {
            warnings.push(`${path}: duplicate port definition with ${other.path}`);
          } else if (hostPort === 0 || other.hostPort === 0) {
            warnings.push(`${path}: overlapping port definition with ${other.path}`);
          }
        }
        ports.set(key, [...(ports.get(key) ?? []), { path, hostIP, hostPort }]);
      });
    });
  }
  return warnings;
}

/** The warning for a name that is a DNS subdomain but not a label; `what` is how the kind uses its name. */
export function dnsLabelNameWarning(name: unknown, what: string): string[] {
  const msgs = isDNS1123Label(typeof name === 'string' ? name : '');
  if (msgs.length === 0) return [];
  return [`metadata.name: ${what}, which can result in surprising behavior; a DNS label is recommended: [${msgs.join(' ')}]`];
}

const templatePath = FieldPath.root('spec').child('template');

/**
 * Warnings for a workload (Deployment, ReplicaSet, Job…) about its pod template, as upstream's
 * GetWarningsForPodTemplate: on create always, on update only when the generation moved.
 */
export function workloadTemplateWarnings(obj: KObject, old?: KObject): string[] {
  const template = obj.spec?.template;
  if (old) return obj.metadata.generation !== old.metadata.generation ? podSpecWarnings(templatePath, template?.spec, template?.metadata) : [];
  return [
    ...dnsLabelNameWarning(obj.metadata.name, 'this is used in Pod names and hostnames'),
    ...podSpecWarnings(templatePath, template?.spec, template?.metadata),
  ];
}
