// Upstream defaulting for Pods and for every embedded PodSpec (pod templates, Deployments, ReplicaSets).
import type { KObject } from '../../../registry/kobject.ts';
import { Quantity } from '../../../../machinery/quantity.ts';

// Untyped JSON as decoded from a request; the helpers below read it defensively.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Json[] => (Array.isArray(v) ? v : []);

/** The volume sources of core/v1 VolumeSource; a volume naming none of them becomes an emptyDir. */
export const volumeSourceKeys = [
  'hostPath',
  'emptyDir',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
] as const;

/** Files written by secret, configMap, downwardAPI and projected volumes: 0644. */
const defaultFileMode = 0o644;

/**
 * Splits an image reference like the container runtime does and returns its tag: `latest` when neither a tag nor a
 * digest is given, '' when the reference is not parseable or pinned by digest only.
 */
export function imageTag(image: string): string {
  const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
  const domain = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
  const pathComponent = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
  const name = `(?:${domain}/)?${pathComponent}(?:/${pathComponent})*`;
  const tag = '[\\w][\\w.-]{0,127}';
  const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
  const m = new RegExp(`^(${name})(?::(${tag}))?(?:@(${digest}))?$`).exec(image);
  if (!m || m[1].length > 255 || /^[a-f0-9]{64}$/.test(m[1])) return '';
  if (m[2]) return m[2];
  return m[3] ? '' : 'latest';
}

/** Rewrites each quantity in a resource list canonically, as the API server does when it serializes a Quantity. */
function canonicalQuantity(v: Json): Json {
  if (typeof v !== 'string' && typeof v !== 'number') return v;
  try {
    return Quantity.fromJSON(v).toString();
  } catch {
    return v; // left as sent; validation reports it
  }
}

function canonicalResourceList(rl: Json): void {
  if (!isObject(rl)) return;
  for (const [k, v] of Object.entries(rl)) rl[k] = canonicalQuantity(v);
}

function defaultHTTPGet(h: Json): void {
  if (!isObject(h)) return;
  if (!h.path) h.path = '/';
  if (!h.scheme) h.scheme = 'HTTP';
}

function defaultProbe(p: Json): void {
  if (!isObject(p)) return;
  if (!p.timeoutSeconds) p.timeoutSeconds = 1;
  if (!p.periodSeconds) p.periodSeconds = 10;
  if (!p.successThreshold) p.successThreshold = 1;
  if (!p.failureThreshold) p.failureThreshold = 3;
  defaultHTTPGet(p.httpGet);
  if (isObject(p.grpc) && p.grpc.service == null) p.grpc.service = '';
}

function defaultFieldRef(f: Json): void {
  if (isObject(f) && !f.apiVersion) f.apiVersion = 'v1';
}

function defaultContainer(c: Json): void {
  if (!isObject(c)) return;
  if (!c.imagePullPolicy) c.imagePullPolicy = imageTag(typeof c.image === 'string' ? c.image : '') === 'latest' ? 'Always' : 'IfNotPresent';
  if (!c.terminationMessagePath) c.terminationMessagePath = '/dev/termination-log';
  if (!c.terminationMessagePolicy) c.terminationMessagePolicy = 'File';
  for (const p of list(c.ports)) if (isObject(p) && !p.protocol) p.protocol = 'TCP';
  for (const e of list(c.env)) if (isObject(e) && isObject(e.valueFrom)) defaultFieldRef(e.valueFrom.fieldRef);
  if (isObject(c.resources)) {
    canonicalResourceList(c.resources.limits);
    canonicalResourceList(c.resources.requests);
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (isObject(c.lifecycle)) {
    if (isObject(c.lifecycle.postStart)) defaultHTTPGet(c.lifecycle.postStart.httpGet);
    if (isObject(c.lifecycle.preStop)) defaultHTTPGet(c.lifecycle.preStop.httpGet);
  }
}

function defaultVolume(v: Json): void {
  if (!isObject(v)) return;
  if (!volumeSourceKeys.some((k) => v[k] != null)) v.emptyDir = {};
  if (isObject(v.hostPath) && v.hostPath.type == null) v.hostPath.type = '';
  if (isObject(v.secret) && v.secret.defaultMode == null) v.secret.defaultMode = defaultFileMode;
  if (isObject(v.configMap) && v.configMap.defaultMode == null) v.configMap.defaultMode = defaultFileMode;
  if (isObject(v.downwardAPI)) {
    if (v.downwardAPI.defaultMode == null) v.downwardAPI.defaultMode = defaultFileMode;
    for (const item of list(v.downwardAPI.items)) if (isObject(item)) defaultFieldRef(item.fieldRef);
  }
  if (isObject(v.projected)) {
    if (v.projected.defaultMode == null) v.projected.defaultMode = defaultFileMode;
    for (const s of list(v.projected.sources)) {
      if (!isObject(s)) continue;
      if (isObject(s.downwardAPI)) for (const item of list(s.downwardAPI.items)) if (isObject(item)) defaultFieldRef(item.fieldRef);
      if (isObject(s.serviceAccountToken) && s.serviceAccountToken.expirationSeconds == null) s.serviceAccountToken.expirationSeconds = 3600;
    }
  }
  if (isObject(v.iscsi) && !v.iscsi.iscsiInterface) v.iscsi.iscsiInterface = 'default';
  if (isObject(v.rbd)) {
    if (!v.rbd.pool) v.rbd.pool = 'rbd';
    if (!v.rbd.user) v.rbd.user = 'admin';
    if (!v.rbd.keyring) v.rbd.keyring = '/etc/ceph/keyring';
  }
  if (isObject(v.azureDisk)) {
    if (v.azureDisk.cachingMode == null) v.azureDisk.cachingMode = 'ReadWrite';
    if (v.azureDisk.fsType == null) v.azureDisk.fsType = 'ext4';
    if (v.azureDisk.readOnly == null) v.azureDisk.readOnly = false;
    if (v.azureDisk.kind == null) v.azureDisk.kind = 'Shared';
  }
  if (isObject(v.scaleIO)) {
    if (!v.scaleIO.storageMode) v.scaleIO.storageMode = 'ThinProvisioned';
    if (!v.scaleIO.fsType) v.scaleIO.fsType = 'xfs';
  }
  if (isObject(v.ephemeral) && isObject(v.ephemeral.volumeClaimTemplate)) {
    const spec = v.ephemeral.volumeClaimTemplate.spec;
    if (isObject(spec)) {
      if (spec.volumeMode == null) spec.volumeMode = 'Filesystem';
      if (isObject(spec.resources)) {
        canonicalResourceList(spec.resources.limits);
        canonicalResourceList(spec.resources.requests);
      }
    }
  }
  if (isObject(v.emptyDir) && v.emptyDir.sizeLimit != null) v.emptyDir.sizeLimit = canonicalQuantity(v.emptyDir.sizeLimit);
}

/** SetDefaults_PodSpec and the defaults of everything a PodSpec embeds; shared by Pods and all pod templates. */
export function setPodSpecDefaults(spec: Json): void {
  if (!isObject(spec)) return;
  if (!spec.dnsPolicy) spec.dnsPolicy = 'ClusterFirst';
  if (!spec.restartPolicy) spec.restartPolicy = 'Always';
  if (spec.securityContext == null) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds == null) spec.terminationGracePeriodSeconds = 30;
  if (!spec.schedulerName) spec.schedulerName = 'default-scheduler';
  for (const v of list(spec.volumes)) defaultVolume(v);
  for (const c of list(spec.initContainers)) defaultContainer(c);
  for (const c of list(spec.containers)) defaultContainer(c);
  for (const c of list(spec.ephemeralContainers)) defaultContainer(c);
  canonicalResourceList(spec.overhead);
}

/** SetDefaults_PodTemplateSpec as the apps and core groups apply it to an embedded template. */
export function setPodTemplateSpecDefaults(template: Json): void {
  if (isObject(template)) setPodSpecDefaults(template.spec);
}

/** Requests default to limits for each resource a container limits but does not request (Pods only, not templates). */
function defaultRequestsFromLimits(c: Json): void {
  if (!isObject(c) || !isObject(c.resources) || !isObject(c.resources.limits)) return;
  if (!isObject(c.resources.requests)) c.resources.requests = {};
  for (const [k, v] of Object.entries(c.resources.limits)) if (!(k in c.resources.requests)) c.resources.requests[k] = v;
}

/** SetObjectDefaults_Pod: Pod-only defaults, then the PodSpec defaults. */
export function setDefaults(pod: KObject): void {
  const spec = pod.spec;
  if (!isObject(spec)) return;
  for (const c of list(spec.containers)) defaultRequestsFromLimits(c);
  for (const c of list(spec.initContainers)) defaultRequestsFromLimits(c);
  if (spec.enableServiceLinks == null) spec.enableServiceLinks = true;
  if (spec.hostNetwork === true) {
    for (const c of [...list(spec.containers), ...list(spec.initContainers)]) {
      for (const p of list(isObject(c) ? c.ports : undefined)) if (isObject(p) && !p.hostPort) p.hostPort = p.containerPort;
    }
  }
  setPodSpecDefaults(spec);
}
