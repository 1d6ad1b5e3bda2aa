// Pod and PodSpec validation with upstream's rules and messages (pkg/apis/core/validation), shared by every pod template.
import { isDeepStrictEqual } from 'node:util';
import type { KObject } from '../../../registry/kobject.ts';
import {
  FieldError,
  FieldPath,
  GoRepr,
  fieldDuplicate,
  fieldForbidden,
  fieldInvalid,
  fieldNotFound,
  fieldNotSupported,
  fieldRequired,
  fieldTooLong,
} from '../../../../machinery/field-errors.ts';
import { Quantity } from '../../../../machinery/quantity.ts';
import {
  inclusiveRangeError,
  isConfigMapKey,
  isDNS1123Label,
  isDNS1123Subdomain,
  isDNS1123SubdomainWithUnderscore,
  isHTTPHeaderName,
  isQualifiedName,
  isRelaxedEnvVarName,
  isValidGroupID,
  isValidIP,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
  isValidUserID,
} from '../../../../machinery/validation.ts';
import {
  isNegativeErrorMsg,
  nameIsDNSSubdomain,
  validateAnnotations,
  validateLabelName,
  validateLabels,
  validateNonnegativeField,
} from '../../../../machinery/meta-validation.ts';
import { volumeSourceKeys } from './defaults.ts';
import { isHugePages, standardContainerResources, standardResources } from '../resource-names.ts';
import { downwardAPIFieldLabels } from '../../../../machinery/downward-api.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface PodValidationOptions {
  /** The PodSpec is a Pod's own (not a template embedded in another kind). */
  resourceIsPod: boolean;
}

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Json[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : v == null ? '' : String(v));
const entries = (v: unknown): [string, Json][] => (isObject(v) ? Object.entries(v) : []);
/** Go prints a nil pointer as `null` and follows a non-nil one. */
const orNull = (v: unknown) => (v === undefined ? null : v);

const maxInt32 = 2147483647;
const fileModeErrorMsg = 'must be a number between 0 and 0777 (octal), both inclusive';

function dns1123Label(value: string, path: FieldPath): FieldError[] {
  return isDNS1123Label(value).map((msg) => fieldInvalid(path, value, msg));
}

function dns1123Subdomain(value: string, path: FieldPath): FieldError[] {
  return isDNS1123Subdomain(value).map((msg) => fieldInvalid(path, value, msg));
}

function qualifiedName(value: string, path: FieldPath): FieldError[] {
  return isQualifiedName(value).map((msg) => fieldInvalid(path, value, msg));
}

// ---- paths ----

function validatePathNoBacksteps(target: string, path: FieldPath): FieldError[] {
  return target.split('/').includes('..') ? [fieldInvalid(path, target, "must not contain '..'")] : [];
}

function validateLocalDescendingPath(target: string, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith('/')) errs.push(fieldInvalid(path, target, 'must be a relative path'));
  errs.push(...validatePathNoBacksteps(target, path));
  return errs;
}

function validateLocalNonReservedPath(target: string, path: FieldPath): FieldError[] {
  const errs = validateLocalDescendingPath(target, path);
  if (target.startsWith('..') && !target.startsWith('../')) errs.push(fieldInvalid(path, target, "must not start with '..'"));
  return errs;
}

// ---- quantities ----

/** Parses a quantity as the decoder would; a value it rejects is reported as invalid here. */
function parseQuantity(v: unknown, path: FieldPath, errs: FieldError[]): Quantity | undefined {
  try {
    return Quantity.fromJSON(v);
  } catch (e) {
    errs.push(fieldInvalid(path, orNull(v), (e as Error).message));
    return undefined;
  }
}

// ---- volumes ----

function validateFileMode(mode: unknown, path: FieldPath): FieldError[] {
  if (typeof mode === 'number' && (mode > 0o777 || mode < 0)) return [fieldInvalid(path, mode, fileModeErrorMsg)];
  return [];
}

function validateKeyToPath(kp: Json, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!str(kp?.key)) errs.push(fieldRequired(path.child('key')));
  if (!str(kp?.path)) errs.push(fieldRequired(path.child('path')));
  errs.push(...validateLocalNonReservedPath(str(kp?.path), path.child('path')));
  errs.push(...validateFileMode(kp?.mode, path.child('mode')));
  return errs;
}

const volumeDownwardAPIFieldPaths = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];
const envDownwardAPIFieldPaths = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];
const containerResourceFieldPaths = [
  'limits.cpu',
  'limits.ephemeral-storage',
  'limits.memory',
  'requests.cpu',
  'requests.ephemeral-storage',
  'requests.memory',
];

/** fieldpath.SplitMaybeSubscriptedPath: `metadata.labels['key']` → [`metadata.labels`, `key`]. */
function splitSubscripted(fieldPath: string): [string, string] | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const s = fieldPath.slice(0, -2);
  const i = s.indexOf("['");
  if (i <= 0) return undefined;
  return [s.slice(0, i), s.slice(i + 2)];
}

function validateObjectFieldSelector(fs: Json, expressions: readonly string[], path: FieldPath): FieldError[] {
  const apiVersion = str(fs?.apiVersion);
  const fieldPath = str(fs?.fieldPath);
  if (!apiVersion) return [fieldRequired(path.child('apiVersion'))];
  if (!fieldPath) return [fieldRequired(path.child('fieldPath'))];
  // podshelper.ConvertDownwardAPIFieldLabel
  let converted = fieldPath;
  let err: string | undefined;
  if (apiVersion !== 'v1') err = `unsupported pod version: ${apiVersion}`;
  else {
    const sub = splitSubscripted(fieldPath);
    if (sub) {
      if (sub[0] !== 'metadata.annotations' && sub[0] !== 'metadata.labels') err = `field label does not support subscript: ${fieldPath}`;
    } else if (fieldPath === 'spec.host') converted = 'spec.nodeName';
    else if (!downwardAPIFieldLabels.has(fieldPath)) err = `field label not supported: ${fieldPath}`;
  }
  if (err) return [fieldInvalid(path.child('fieldPath'), fieldPath, `error converting fieldPath: ${err}`)];
  const sub = splitSubscripted(converted);
  if (sub) {
    const [p, key] = sub;
    if (p === 'metadata.annotations') return qualifiedName(key.toLowerCase(), path);
    if (p === 'metadata.labels') return qualifiedName(key, path);
    return [fieldInvalid(path, p, 'does not support subscript')];
  }
  if (!expressions.includes(converted)) return [fieldNotSupported(path.child('fieldPath'), converted, [...expressions].sort())];
  return [];
}

const divisorsCPU = new Set(['1m', '1']);
const divisorsBytes = new Set(['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei']);

function validateContainerResourceDivisor(rName: string, divisor: unknown, path: FieldPath): FieldError[] {
  if (divisor == null) return [];
  let q: Quantity;
  try {
    q = Quantity.fromJSON(divisor);
  } catch {
    return [];
  }
  if (q.isZero()) return [];
  const d = q.toString();
  const p = path.child('divisor');
  const errs: FieldError[] = [];
  if ((rName === 'limits.cpu' || rName === 'requests.cpu') && !divisorsCPU.has(d)) {
    errs.push(fieldInvalid(p, rName, "only divisor's values 1m and 1 are supported with the cpu resource"));
  }
  const all = '1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei';
  if ((rName === 'limits.memory' || rName === 'requests.memory') && !divisorsBytes.has(d)) {
    errs.push(fieldInvalid(p, rName, `only divisor's values ${all} are supported with the memory resource`));
  }
  if ((rName === 'limits.ephemeral-storage' || rName === 'requests.ephemeral-storage') && !divisorsBytes.has(d)) {
    errs.push(fieldInvalid(p, rName, `only divisor's values ${all} are supported with the local ephemeral storage resource`));
  }
  if ((rName.startsWith('requests.hugepages-') || rName.startsWith('limits.hugepages-')) && !divisorsBytes.has(d)) {
    errs.push(fieldInvalid(p, rName, `only divisor's values ${all} are supported with the hugepages resource`));
  }
  return errs;
}

function validateContainerResourceFieldSelector(fs: Json, path: FieldPath, volume: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const resource = str(fs?.resource);
  if (volume && !str(fs?.containerName)) errs.push(fieldRequired(path.child('containerName')));
  else if (!resource) errs.push(fieldRequired(path.child('resource')));
  else if (!containerResourceFieldPaths.includes(resource)) {
    if (!resource.startsWith('requests.hugepages-') && !resource.startsWith('limits.hugepages-')) {
      errs.push(fieldNotSupported(path.child('resource'), resource, containerResourceFieldPaths));
    }
  }
  errs.push(...validateContainerResourceDivisor(resource, fs?.divisor, path));
  return errs;
}

function validateDownwardAPIVolumeFile(file: Json, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!str(file?.path)) errs.push(fieldRequired(path.child('path')));
  errs.push(...validateLocalNonReservedPath(str(file?.path), path.child('path')));
  if (file?.fieldRef != null) {
    errs.push(...validateObjectFieldSelector(file.fieldRef, volumeDownwardAPIFieldPaths, path.child('fieldRef')));
    if (file.resourceFieldRef != null) {
      errs.push(fieldInvalid(path, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
    }
  } else if (file?.resourceFieldRef != null) {
    errs.push(...validateContainerResourceFieldSelector(file.resourceFieldRef, path.child('resourceFieldRef'), true));
  } else {
    errs.push(fieldRequired(path, 'one of fieldRef and resourceFieldRef is required'));
  }
  errs.push(...validateFileMode(file?.mode, path.child('mode')));
  return errs;
}

function validateProjectedSources(projected: Json, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const allPaths = new Set<string>();
  const addPath = (p: string, badValue: string) => {
    if (allPaths.has(p)) errs.push(fieldInvalid(path, badValue, 'conflicting duplicate paths'));
    else allPaths.add(p);
  };
  list(projected.sources).forEach((source: Json, i: number) => {
    let numSources = 0;
    const srcPath = path.child('sources').index(i);
    for (const kind of ['secret', 'configMap'] as const) {
      const s = source?.[kind];
      if (s == null) continue;
      numSources++;
      const projPath = srcPath.child(kind);
      if (!str(s.name)) errs.push(fieldRequired(projPath.child('name')));
      list(s.items).forEach((kp: Json, j: number) => {
        errs.push(...validateKeyToPath(kp, projPath.child('items').index(j)));
        if (str(kp?.path)) addPath(str(kp.path), str(s.name));
      });
    }
    if (source?.downwardAPI != null) {
      numSources++;
      for (const file of list(source.downwardAPI.items)) {
        errs.push(...validateDownwardAPIVolumeFile(file, srcPath.child('downwardAPI')));
        if (str(file?.path)) addPath(str(file.path), str(file.path));
      }
    }
    const sat = source?.serviceAccountToken;
    if (sat != null) {
      numSources++;
      const satPath = srcPath.child('serviceAccountToken');
      const exp = typeof sat.expirationSeconds === 'number' ? sat.expirationSeconds : 0;
      if (exp < 600) errs.push(fieldInvalid(satPath.child('expirationSeconds'), exp, 'may not specify a duration less than 10 minutes'));
      if (exp > 2 ** 32) errs.push(fieldInvalid(satPath.child('expirationSeconds'), exp, 'may not specify a duration larger than 2^32 seconds'));
      if (!str(sat.path)) errs.push(fieldRequired(path.child('path')));
      else errs.push(...validateLocalNonReservedPath(str(sat.path), path.child('path')));
    }
    const ctb = source?.clusterTrustBundle;
    if (ctb != null) {
      numSources++;
      const ctbPath = srcPath.child('clusterTrustBundle');
      if (ctb.name == null && ctb.signerName == null) errs.push(fieldRequired(ctbPath, 'either name or signerName must be specified'));
      if (!str(ctb.path)) errs.push(fieldRequired(ctbPath.child('path')));
      errs.push(...validateLocalNonReservedPath(str(ctb.path), ctbPath.child('path')));
      addPath(str(ctb.path), str(ctb.path));
    }
    if (numSources > 1) errs.push(fieldForbidden(srcPath, 'may not specify more than 1 volume type per source'));
  });
  return errs;
}

const hostPathTypes = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];

/** Per-source checks for the volume types a single-machine cluster can serve; the rest are only counted. */
const volumeSourceValidators: Partial<Record<(typeof volumeSourceKeys)[number], (src: Json, path: FieldPath) => FieldError[]>> = {
  emptyDir(src, path) {
    if (src.sizeLimit == null) return [];
    const errs: FieldError[] = [];
    const q = parseQuantity(src.sizeLimit, path.child('sizeLimit'), errs);
    if (q && q.sign() < 0) errs.push(fieldForbidden(path.child('sizeLimit'), 'SizeLimit field must be a valid resource quantity'));
    return errs;
  },
  hostPath(src, path) {
    if (!str(src.path)) return [fieldRequired(path.child('path'))];
    const errs = validatePathNoBacksteps(str(src.path), path.child('path'));
    if (src.type != null && !hostPathTypes.includes(str(src.type))) {
      errs.push(fieldNotSupported(path.child('type'), src.type, hostPathTypes));
    }
    return errs;
  },
  gitRepo(src, path) {
    const errs: FieldError[] = [];
    if (!str(src.repository)) errs.push(fieldRequired(path.child('repository')));
    errs.push(...validateLocalDescendingPath(str(src.directory), path.child('directory')));
    return errs;
  },
  secret(src, path) {
    const errs: FieldError[] = [];
    if (!str(src.secretName)) errs.push(fieldRequired(path.child('secretName')));
    errs.push(...validateFileMode(src.defaultMode, path.child('defaultMode')));
    list(src.items).forEach((kp: Json, i: number) => errs.push(...validateKeyToPath(kp, path.child('items').index(i))));
    return errs;
  },
  nfs(src, path) {
    const errs: FieldError[] = [];
    if (!str(src.server)) errs.push(fieldRequired(path.child('server')));
    if (!str(src.path)) errs.push(fieldRequired(path.child('path')));
    if (!str(src.path).startsWith('/')) errs.push(fieldInvalid(path.child('path'), str(src.path), 'must be an absolute path'));
    return errs;
  },
  persistentVolumeClaim(src, path) {
    return str(src.claimName) ? [] : [fieldRequired(path.child('claimName'))];
  },
  downwardAPI(src, path) {
    const errs = validateFileMode(src.defaultMode, path.child('defaultMode'));
    for (const file of list(src.items)) errs.push(...validateDownwardAPIVolumeFile(file, path));
    return errs;
  },
  configMap(src, path) {
    const errs: FieldError[] = [];
    if (!str(src.name)) errs.push(fieldRequired(path.child('name')));
    errs.push(...validateFileMode(src.defaultMode, path.child('defaultMode')));
    list(src.items).forEach((kp: Json, i: number) => errs.push(...validateKeyToPath(kp, path.child('items').index(i))));
    return errs;
  },
  projected(src, path) {
    return [...validateFileMode(src.defaultMode, path.child('defaultMode')), ...validateProjectedSources(src, path)];
  },
  csi(src, path) {
    const errs: FieldError[] = [];
    const driver = str(src.driver);
    const p = path.child('driver');
    if (!driver) errs.push(fieldRequired(p));
    if (driver.length > 63) errs.push(fieldTooLong(p, driver, 63));
    for (const msg of isDNS1123Subdomain(driver.toLowerCase())) errs.push(fieldInvalid(p, driver, msg));
    const ref = src.nodePublishSecretRef;
    if (ref != null) {
      if (!str(ref.name)) errs.push(fieldRequired(path.child('nodePublishSecretRef', 'name')));
      else for (const msg of isDNS1123Subdomain(str(ref.name))) errs.push(fieldInvalid(path.child('name'), str(ref.name), msg));
    }
    return errs;
  },
  ephemeral(src, path) {
    if (src.volumeClaimTemplate == null) return [fieldRequired(path.child('volumeClaimTemplate'))];
    const specPath = path.child('volumeClaimTemplate', 'spec');
    const spec = src.volumeClaimTemplate.spec ?? {};
    const errs: FieldError[] = [];
    if (list(spec.accessModes).length === 0) errs.push(fieldRequired(specPath.child('accessModes'), 'at least 1 access mode is required'));
    if (spec.resources?.requests?.storage == null) errs.push(fieldRequired(specPath.child('resources').key('storage')));
    return errs;
  },
  image(src, path) {
    return str(src.reference) ? [] : [fieldRequired(path.child('reference'))];
  },
};

/** Upstream checks sources in this order; two of its Forbidden paths are spelled differently from the field. */
const volumeSourceOrder: readonly [(typeof volumeSourceKeys)[number], string][] = [
  ['emptyDir', 'emptyDir'],
  ['hostPath', 'hostPath'],
  ['gitRepo', 'gitRepo'],
  ['gcePersistentDisk', 'gcePersistentDisk'],
  ['awsElasticBlockStore', 'awsElasticBlockStore'],
  ['secret', 'secret'],
  ['nfs', 'nfs'],
  ['iscsi', 'iscsi'],
  ['glusterfs', 'glusterfs'],
  ['flocker', 'flocker'],
  ['persistentVolumeClaim', 'persistentVolumeClaim'],
  ['rbd', 'rbd'],
  ['cinder', 'cinder'],
  ['cephfs', 'cephFS'],
  ['quobyte', 'quobyte'],
  ['downwardAPI', 'downwarAPI'],
  ['fc', 'fc'],
  ['flexVolume', 'flexVolume'],
  ['configMap', 'configMap'],
  ['azureFile', 'azureFile'],
  ['vsphereVolume', 'vsphereVolume'],
  ['photonPersistentDisk', 'photonPersistentDisk'],
  ['portworxVolume', 'portworxVolume'],
  ['azureDisk', 'azureDisk'],
  ['storageos', 'storageos'],
  ['projected', 'projected'],
  ['scaleIO', 'scaleIO'],
  ['csi', 'csi'],
  ['ephemeral', 'ephemeral'],
  ['image', 'image'],
];

function validateVolumeSource(vol: Json, path: FieldPath, podMeta: Json): FieldError[] {
  const errs: FieldError[] = [];
  let numVolumes = 0;
  for (const [key, forbiddenName] of volumeSourceOrder) {
    const src = vol?.[key];
    if (src == null) continue;
    if (numVolumes > 0) {
      errs.push(fieldForbidden(path.child(forbiddenName), 'may not specify more than 1 volume type'));
      continue;
    }
    numVolumes++;
    const validator = volumeSourceValidators[key];
    if (validator && isObject(src)) errs.push(...validator(src, path.child(key)));
    if (key === 'ephemeral' && podMeta?.name && str(vol.name)) {
      const pvcName = `${podMeta.name}-${vol.name}`;
      for (const msg of isDNS1123Subdomain(pvcName)) {
        errs.push(fieldInvalid(path.child('name'), str(vol.name), `PVC name ${JSON.stringify(pvcName)}: ${msg}`));
      }
    }
  }
  if (numVolumes === 0) errs.push(fieldRequired(path, 'must specify a volume type'));
  return errs;
}

type Volumes = Map<string, Json>;

function validateVolumes(volumes: Json[], podMeta: Json, path: FieldPath): { vols: Volumes; errs: FieldError[] } {
  const errs: FieldError[] = [];
  const vols: Volumes = new Map();
  const created = new Set<string>();
  if (podMeta?.name) for (const v of volumes) if (v?.ephemeral != null) created.add(`${podMeta.name}-${str(v?.name)}`);
  volumes.forEach((vol, i) => {
    const idxPath = path.index(i);
    const namePath = idxPath.child('name');
    const name = str(vol?.name);
    const el = validateVolumeSource(vol, idxPath, podMeta);
    if (!name) el.push(fieldRequired(namePath));
    else el.push(...dns1123Label(name, namePath));
    if (vols.has(name)) el.push(fieldDuplicate(namePath, name));
    if (el.length === 0) vols.set(name, vol);
    else errs.push(...el);
    const claim = str(vol?.persistentVolumeClaim?.claimName);
    if (vol?.persistentVolumeClaim != null && created.has(claim)) {
      errs.push(
        fieldInvalid(idxPath.child('persistentVolumeClaim', 'claimName'), claim, 'must not reference a PVC that gets created for an ephemeral volume'),
      );
    }
  });
  return { vols, errs };
}

// ---- containers ----

const portProtocols = ['SCTP', 'TCP', 'UDP'];

function validateContainerPorts(ports: Json[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const idxPath = path.index(i);
    const name = str(port?.name);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length) for (const msg of msgs) errs.push(fieldInvalid(idxPath.child('name'), name, msg));
      else if (names.has(name)) errs.push(fieldDuplicate(idxPath.child('name'), name));
      else names.add(name);
    }
    const cp = port?.containerPort;
    if (!cp) errs.push(fieldRequired(idxPath.child('containerPort')));
    else for (const msg of isValidPortNum(cp)) errs.push(fieldInvalid(idxPath.child('containerPort'), cp, msg));
    const hp = port?.hostPort;
    if (hp) for (const msg of isValidPortNum(hp)) errs.push(fieldInvalid(idxPath.child('hostPort'), hp, msg));
    const protocol = str(port?.protocol);
    if (!protocol) errs.push(fieldRequired(idxPath.child('protocol')));
    else if (!portProtocols.includes(protocol)) errs.push(fieldNotSupported(idxPath.child('protocol'), protocol, portProtocols));
  });
  return errs;
}

function validateKeySelector(s: Json, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(s?.name);
  for (const msg of isDNS1123Subdomain(name)) errs.push(fieldInvalid(path.child('name'), name, msg));
  const key = str(s?.key);
  if (!key) errs.push(fieldRequired(path.child('key')));
  else for (const msg of isConfigMapKey(key)) errs.push(fieldInvalid(path.child('key'), key, msg));
  return errs;
}

function validateEnvVarValueFrom(ev: Json, path: FieldPath): FieldError[] {
  const vf = ev?.valueFrom;
  if (vf == null) return [];
  const errs: FieldError[] = [];
  let numSources = 0;
  if (vf.fieldRef != null) {
    numSources++;
    errs.push(...validateObjectFieldSelector(vf.fieldRef, envDownwardAPIFieldPaths, path.child('fieldRef')));
  }
  if (vf.resourceFieldRef != null) {
    numSources++;
    errs.push(...validateContainerResourceFieldSelector(vf.resourceFieldRef, path.child('resourceFieldRef'), false));
  }
  if (vf.configMapKeyRef != null) {
    numSources++;
    errs.push(...validateKeySelector(vf.configMapKeyRef, path.child('configMapKeyRef')));
  }
  if (vf.secretKeyRef != null) {
    numSources++;
    errs.push(...validateKeySelector(vf.secretKeyRef, path.child('secretKeyRef')));
  }
  if (numSources === 0) {
    errs.push(fieldInvalid(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  } else if (str(ev.value).length !== 0) {
    errs.push(fieldInvalid(path, '', 'may not be specified when `value` is not empty'));
  } else if (numSources > 1) {
    errs.push(fieldInvalid(path, '', 'may not have more than one field specified at a time'));
  }
  return errs;
}

/** Env names follow RelaxedEnvironmentVariableValidation, on by default in 1.33. */
function validateEnv(vars: Json[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  vars.forEach((ev, i) => {
    const idxPath = path.index(i);
    const name = str(ev?.name);
    if (!name) errs.push(fieldRequired(idxPath.child('name')));
    else for (const msg of isRelaxedEnvVarName(name)) errs.push(fieldInvalid(idxPath.child('name'), name, msg));
    errs.push(...validateEnvVarValueFrom(ev, idxPath.child('valueFrom')));
  });
  return errs;
}

function validateEnvFrom(vars: Json[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  vars.forEach((ev, i) => {
    const idxPath = path.index(i);
    const prefix = str(ev?.prefix);
    if (prefix) for (const msg of isRelaxedEnvVarName(prefix)) errs.push(fieldInvalid(idxPath.child('prefix'), prefix, msg));
    let numSources = 0;
    for (const kind of ['configMapRef', 'secretRef'] as const) {
      if (ev?.[kind] == null) continue;
      numSources++;
      const name = str(ev[kind].name);
      const p = idxPath.child(kind, 'name');
      if (!name) errs.push(fieldRequired(p));
      else for (const msg of nameIsDNSSubdomain(name, true)) errs.push(fieldInvalid(p, name, msg));
    }
    if (numSources === 0) errs.push(fieldInvalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (numSources > 1) errs.push(fieldInvalid(path, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

const mountPropagations = ['Bidirectional', 'HostToContainer', 'None'];
const recursiveReadOnlyModes = ['Disabled', 'Enabled', 'IfPossible'];

function validateVolumeMounts(mounts: Json[], devices: Map<string, string>, vols: Volumes, ctr: Json, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const mountpoints = new Set<string>();
  const devicePaths = new Set(devices.values());
  mounts.forEach((mnt, i) => {
    const idxPath = path.index(i);
    const name = str(mnt?.name);
    const mountPath = str(mnt?.mountPath);
    if (!name) errs.push(fieldRequired(idxPath.child('name')));
    if (!vols.has(name)) errs.push(fieldNotFound(idxPath.child('name'), name));
    if (!mountPath) errs.push(fieldRequired(idxPath.child('mountPath')));
    if (mountpoints.has(mountPath)) errs.push(fieldInvalid(idxPath.child('mountPath'), mountPath, 'must be unique'));
    mountpoints.add(mountPath);
    if (devices.has(name)) errs.push(fieldInvalid(idxPath.child('name'), name, 'must not already exist in volumeDevices'));
    if (devicePaths.has(mountPath)) errs.push(fieldInvalid(idxPath.child('mountPath'), mountPath, 'must not already exist as a path in volumeDevices'));
    const subPath = str(mnt?.subPath);
    const subPathExpr = str(mnt?.subPathExpr);
    if (vols.get(name)?.image != null) {
      if (subPath) errs.push(fieldInvalid(idxPath.child('subPath'), subPath, 'not allowed in image volume sources'));
      if (subPathExpr) errs.push(fieldInvalid(idxPath.child('subPathExpr'), subPathExpr, 'not allowed in image volume sources'));
    }
    // Upstream reports these two on the list's path, without the index.
    if (subPath) errs.push(...validateLocalDescendingPath(subPath, path.child('subPath')));
    if (subPathExpr) {
      if (subPath) errs.push(fieldInvalid(idxPath.child('subPathExpr'), subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      errs.push(...validateLocalDescendingPath(subPathExpr, path.child('subPathExpr')));
    }
    if (mnt?.mountPropagation != null) {
      const mp = str(mnt.mountPropagation);
      const p = path.child('mountPropagation');
      if (!mountPropagations.includes(mp)) errs.push(fieldNotSupported(p, mp, mountPropagations));
      const privileged = ctr?.securityContext?.privileged === true;
      if (mp === 'Bidirectional' && !privileged) {
        errs.push(fieldForbidden(p, 'Bidirectional mount propagation is available only to privileged containers'));
      }
    }
    if (mnt?.recursiveReadOnly != null) {
      const rro = str(mnt.recursiveReadOnly);
      const p = path.child('recursiveReadOnly');
      if (rro === 'Enabled' || rro === 'IfPossible') {
        if (mnt.readOnly !== true) errs.push(fieldForbidden(p, 'may only be specified when readOnly is true'));
        if (mnt.mountPropagation != null && mnt.mountPropagation !== 'None') {
          errs.push(fieldForbidden(p, 'may only be specified when mountPropagation is None or not specified'));
        }
      } else if (rro !== 'Disabled') errs.push(fieldNotSupported(p, rro, recursiveReadOnlyModes));
    }
  });
  return errs;
}

function validateVolumeDevices(devices: Json[], mounts: Map<string, string>, vols: Volumes, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const devicePaths = new Set<string>();
  const deviceNames = new Set<string>();
  const mountPaths = new Set(mounts.values());
  devices.forEach((dev, i) => {
    const idxPath = path.index(i);
    const name = str(dev?.name);
    const devPath = str(dev?.devicePath);
    const vol = vols.get(name);
    const isPVC = vol != null && (vol.persistentVolumeClaim != null || vol.ephemeral != null);
    if (!name) errs.push(fieldRequired(idxPath.child('name')));
    if (deviceNames.has(name)) errs.push(fieldInvalid(idxPath.child('name'), name, 'must be unique'));
    if (vol != null && !isPVC) {
      errs.push(fieldInvalid(idxPath.child('name'), name, 'can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode'));
    }
    if (vol == null) errs.push(fieldNotFound(idxPath.child('name'), name));
    if (!devPath) errs.push(fieldRequired(idxPath.child('devicePath')));
    if (devicePaths.has(devPath)) errs.push(fieldInvalid(idxPath.child('devicePath'), devPath, 'must be unique'));
    if (devPath && devPath.split('/').includes('..')) {
      errs.push(fieldInvalid(idxPath.child('devicePath'), devPath, "can not contain backsteps ('..')"));
    } else devicePaths.add(devPath);
    if (mounts.has(name)) errs.push(fieldInvalid(idxPath.child('name'), name, 'must not already exist in volumeMounts'));
    if (mountPaths.has(devPath)) errs.push(fieldInvalid(idxPath.child('devicePath'), devPath, 'must not already exist as a path in volumeMounts'));
    if (name) deviceNames.add(name);
  });
  return errs;
}

const pullPolicies = ['Always', 'IfNotPresent', 'Never'];

// ---- resources ----

const isNativeResource = (name: string) => !name.includes('/') || name.includes('kubernetes.io/');
const isOvercommitAllowed = (name: string) => isNativeResource(name) && !isHugePages(name);
function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${name}`).length === 0;
}

function validateContainerResourceName(name: string, path: FieldPath): FieldError[] {
  const errs = isQualifiedName(name).map((msg) => fieldInvalid(path, name, msg));
  const unprefixed = !name.includes('/');
  const quotaHugePages = isHugePages(name) || name.startsWith('requests.hugepages-');
  if (errs.length === 0 && unprefixed && !standardResources.has(name) && !quotaHugePages) {
    errs.push(fieldInvalid(path, name, 'must be a standard resource type or fully qualified'));
  }
  if (unprefixed) {
    if (!standardContainerResources.has(name) && !isHugePages(name)) {
      errs.push(fieldInvalid(path, name, 'must be a standard resource for containers'));
    }
  } else if (!isNativeResource(name) && !isExtendedResourceName(name)) {
    errs.push(fieldInvalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

const hugePageSizes: Record<string, bigint> = { Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n };

function validateResourceQuantityValue(name: string, q: Quantity, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (q.sign() < 0) errs.push(fieldInvalid(path, q.toString(), isNegativeErrorMsg));
  if (isExtendedResourceName(name) && q.milliValue() % 1000 !== 0) errs.push(fieldInvalid(path, q.toString(), 'must be an integer'));
  if (isHugePages(name)) {
    const m = /^hugepages-(\d+)(Ki|Mi|Gi|Ti)$/.exec(name);
    const size = m ? BigInt(m[1]) * hugePageSizes[m[2]] : 0n;
    if (size === 0n || q.scaledValue(0) % size !== 0n) {
      errs.push(fieldInvalid(path, q.toString(), `${q.toString()} is not positive integer multiple of ${name}`));
    }
  }
  return errs;
}

/** ValidateContainerResourceRequirements: names, quantities, and requests no larger than limits. */
export function validateResourceRequirements(req: Json, path: FieldPath, podClaimNames: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObject(req)) return errs;
  const limPath = path.child('limits');
  const reqPath = path.child('requests');
  const qos = new Set(['cpu', 'memory']);
  let limCPUOrMem = false;
  let reqCPUOrMem = false;
  let limHuge = false;
  let reqHuge = false;
  const limits = new Map<string, Quantity>();
  for (const [name, raw] of entries(req.limits)) {
    const p = limPath.key(name);
    errs.push(...validateContainerResourceName(name, p));
    const q = parseQuantity(raw, p, errs);
    if (!q) continue;
    limits.set(name, q);
    errs.push(...validateResourceQuantityValue(name, q, p));
    if (isHugePages(name)) limHuge = true;
    if (qos.has(name)) limCPUOrMem = true;
  }
  for (const [name, raw] of entries(req.requests)) {
    const p = reqPath.key(name);
    errs.push(...validateContainerResourceName(name, p));
    const q = parseQuantity(raw, p, errs);
    if (!q) continue;
    errs.push(...validateResourceQuantityValue(name, q, p));
    const lim = limits.get(name);
    if (lim) {
      if (q.cmp(lim) !== 0 && !isOvercommitAllowed(name)) {
        errs.push(fieldInvalid(reqPath, q.toString(), `must be equal to ${name} limit of ${lim.toString()}`));
      } else if (q.cmp(lim) > 0) {
        errs.push(fieldInvalid(reqPath, q.toString(), `must be less than or equal to ${name} limit of ${lim.toString()}`));
      }
    } else if (!isOvercommitAllowed(name) && !(name in (isObject(req.limits) ? req.limits : {}))) {
      errs.push(fieldRequired(limPath, 'Limit must be set for non overcommitable resources'));
    }
    if (isHugePages(name)) reqHuge = true;
    if (qos.has(name)) reqCPUOrMem = true;
  }
  if (!limCPUOrMem && !reqCPUOrMem && (reqHuge || limHuge)) errs.push(fieldForbidden(path, 'HugePages require cpu or memory'));
  const claimNames = new Set<string>();
  list(req.claims).forEach((claim: Json, i: number) => {
    const name = str(claim?.name);
    const p = path.child('claims').index(i);
    if (!name) {
      errs.push(fieldRequired(p));
      return;
    }
    const key = claim?.request ? `${name}/${claim.request}` : name;
    if (claimNames.has(name) || claimNames.has(key)) errs.push(fieldDuplicate(p, key));
    claimNames.add(key);
    if (!podClaimNames.has(name)) {
      const detail =
        podClaimNames.size === 0
          ? 'must be one of the names in pod.spec.resourceClaims which is empty'
          : `must be one of the names in pod.spec.resourceClaims: ${[...podClaimNames].sort().join(', ')}`;
      errs.push(new FieldError('FieldValueNotFound', p, name, detail));
    }
  });
  return errs;
}

const resizeResources = ['cpu', 'memory'];
const resizePolicies = ['NotRequired', 'RestartContainer'];

function validateResizePolicy(policies: Json[], path: FieldPath, podRestartPolicy: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  policies.forEach((p, i) => {
    const rn = str(p?.resourceName);
    const rp = str(p?.restartPolicy);
    if (seen.has(rn)) errs.push(fieldDuplicate(path.index(i), rn));
    seen.add(rn);
    if (!rn) errs.push(fieldRequired(path));
    else if (!resizeResources.includes(rn)) errs.push(fieldNotSupported(path, rn, resizeResources));
    if (!rp) errs.push(fieldRequired(path));
    else if (!resizePolicies.includes(rp)) errs.push(fieldNotSupported(path, rp, resizePolicies));
    if (podRestartPolicy === 'Never' && rp !== 'NotRequired') {
      errs.push(fieldInvalid(path, rp, "must be 'NotRequired' when `restartPolicy` is 'Never'"));
    }
  });
  return errs;
}

// ---- security contexts ----

const seccompTypes = ['Localhost', 'RuntimeDefault', 'Unconfined'];

function validateSeccompProfileField(sp: Json, path: FieldPath): FieldError[] {
  if (sp == null) return [];
  const errs: FieldError[] = [];
  const t = str(sp.type);
  if (!t) errs.push(fieldRequired(path.child('type'), 'type is required when seccompProfile is set'));
  else if (!seccompTypes.includes(t)) errs.push(fieldNotSupported(path.child('type'), t, seccompTypes));
  if (t === 'Localhost') {
    if (sp.localhostProfile == null) errs.push(fieldRequired(path.child('localhostProfile'), 'must be set when seccomp type is Localhost'));
    else errs.push(...validateLocalDescendingPath(str(sp.localhostProfile), path.child('localhostProfile')));
  } else if (sp.localhostProfile != null) {
    errs.push(fieldInvalid(path.child('localhostProfile'), new GoRepr(JSON.stringify(sp)), 'can only be set when seccomp type is Localhost'));
  }
  return errs;
}

function validateAppArmorProfileField(profile: Json, path: FieldPath): FieldError[] {
  if (profile == null) return [];
  const errs: FieldError[] = [];
  const t = str(profile.type);
  if (t === 'Localhost') {
    const lp = profile.localhostProfile;
    if (lp == null) errs.push(fieldRequired(path.child('localhostProfile'), 'must be set when AppArmor type is Localhost'));
    else {
      const s = str(lp);
      if (s.trim() !== s) errs.push(fieldInvalid(path.child('localhostProfile'), s, 'must not be padded with whitespace'));
      else if (!s) errs.push(fieldRequired(path.child('localhostProfile'), 'must be set when AppArmor type is Localhost'));
      if (Buffer.byteLength(s) > 4095) errs.push(fieldTooLong(path.child('localhostProfile'), s, 4095));
    }
  } else if (t === 'RuntimeDefault' || t === 'Unconfined') {
    if (profile.localhostProfile != null) {
      errs.push(fieldInvalid(path.child('localhostProfile'), str(profile.localhostProfile), 'can only be set when AppArmor type is Localhost'));
    }
  } else if (!t) errs.push(fieldRequired(path.child('type'), 'type is required when appArmorProfile is set'));
  else errs.push(fieldNotSupported(path.child('type'), t, seccompTypes));
  return errs;
}

function validateIDs(sc: Json, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof sc.runAsUser === 'number') for (const msg of isValidUserID(sc.runAsUser)) errs.push(fieldInvalid(path.child('runAsUser'), sc.runAsUser, msg));
  if (typeof sc.runAsGroup === 'number') for (const msg of isValidGroupID(sc.runAsGroup)) errs.push(fieldInvalid(path.child('runAsGroup'), sc.runAsGroup, msg));
  return errs;
}

/** The bad value upstream prints for a whole SecurityContext; Go's %#v of it holds pointers, so this is only a likeness. */
const securityContextRepr = (sc: Json) => new GoRepr(`&core.SecurityContext${JSON.stringify(sc)}`);

function validateSecurityContext(sc: Json, path: FieldPath, hostUsers: boolean): FieldError[] {
  if (!isObject(sc)) return [];
  const errs = validateIDs(sc, path);
  if (sc.procMount != null) {
    const pm = str(sc.procMount);
    if (pm !== 'Default' && pm !== 'Unmasked') errs.push(fieldNotSupported(path.child('procMount'), pm, ['Default', 'Unmasked']));
    if (hostUsers && pm === 'Unmasked') errs.push(fieldInvalid(path.child('procMount'), pm, '`hostUsers` must be false to use `Unmasked`'));
  }
  errs.push(...validateSeccompProfileField(sc.seccompProfile, path.child('seccompProfile')));
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true) {
      errs.push(fieldInvalid(path, securityContextRepr(sc), 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    }
    for (const cap of list(sc.capabilities?.add)) {
      if (cap === 'CAP_SYS_ADMIN') {
        errs.push(fieldInvalid(path, securityContextRepr(sc), 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
      }
    }
  }
  errs.push(...validateAppArmorProfileField(sc.appArmorProfile, path.child('appArmorProfile')));
  return errs;
}

const fsGroupChangePolicies = ['Always', 'OnRootMismatch'];
const supplementalGroupsPolicies = ['Merge', 'Strict'];
const seLinuxChangePolicies = ['MountOption', 'Recursive'];
const sysctlNameFmt = '^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$';
const sysctlName = new RegExp(sysctlNameFmt);

function validatePodSecurityContext(sc: Json, spec: Json, path: FieldPath): FieldError[] {
  if (!isObject(sc)) return [];
  const errs: FieldError[] = [];
  if (typeof sc.fsGroup === 'number') for (const msg of isValidGroupID(sc.fsGroup)) errs.push(fieldInvalid(path.child('fsGroup'), sc.fsGroup, msg));
  errs.push(...validateIDs(sc, path));
  list(sc.supplementalGroups).forEach((gid: Json, i: number) => {
    for (const msg of isValidGroupID(gid)) errs.push(fieldInvalid(path.child('supplementalGroups').index(i), gid, msg));
  });
  if (spec.shareProcessNamespace === true && spec.hostPID === true) {
    errs.push(fieldInvalid(path.child('shareProcessNamespace'), true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  }
  const seen = new Set<string>();
  list(sc.sysctls).forEach((s: Json, i: number) => {
    const name = str(s?.name);
    const p = path.child('sysctls').index(i).child('name');
    if (!name) errs.push(fieldRequired(p));
    else if (name.length > 253 || !sysctlName.test(name)) {
      errs.push(fieldInvalid(p, name, `must have at most 253 characters and match regex ${sysctlNameFmt}`));
    } else if (seen.has(name)) errs.push(fieldDuplicate(p, name));
    seen.add(name);
  });
  if (sc.fsGroupChangePolicy != null && !fsGroupChangePolicies.includes(str(sc.fsGroupChangePolicy))) {
    errs.push(fieldNotSupported(path.child('fsGroupChangePolicy'), str(sc.fsGroupChangePolicy), fsGroupChangePolicies));
  }
  errs.push(...validateSeccompProfileField(sc.seccompProfile, path.child('seccompProfile')));
  errs.push(...validateAppArmorProfileField(sc.appArmorProfile, path.child('appArmorProfile')));
  if (sc.supplementalGroupsPolicy != null && !supplementalGroupsPolicies.includes(str(sc.supplementalGroupsPolicy))) {
    errs.push(fieldNotSupported(path.child('supplementalGroupsPolicy'), str(sc.supplementalGroupsPolicy), supplementalGroupsPolicies));
  }
  if (sc.seLinuxChangePolicy != null && !seLinuxChangePolicies.includes(str(sc.seLinuxChangePolicy))) {
    errs.push(fieldNotSupported(path.child('seLinuxChangePolicy'), str(sc.seLinuxChangePolicy), seLinuxChangePolicies));
  }
  return errs;
}

// ---- probes and handlers ----

function validatePortNumOrName(port: unknown, path: FieldPath): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((msg) => fieldInvalid(path, port, msg));
  if (typeof port === 'string') return isValidPortName(port).map((msg) => fieldInvalid(path, port, msg));
  return [fieldInvalid(path, orNull(port), `unknown type: ${typeof port}`)];
}

function validateHandler(h: Json, kinds: readonly string[], gracePeriod: number | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  for (const kind of kinds) {
    const a = h?.[kind];
    if (a == null) continue;
    if (n > 0) {
      errs.push(fieldForbidden(path.child(kind), 'may not specify more than 1 handler type'));
      continue;
    }
    n++;
    const p = path.child(kind);
    switch (kind) {
      case 'exec':
        if (list(a.command).length === 0) errs.push(fieldRequired(p.child('command')));
        break;
      case 'httpGet': {
        if (!str(a.path)) errs.push(fieldRequired(p.child('path')));
        errs.push(...validatePortNumOrName(a.port, p.child('port')));
        const scheme = str(a.scheme);
        if (scheme !== 'HTTP' && scheme !== 'HTTPS') errs.push(fieldNotSupported(p.child('scheme'), scheme, ['HTTP', 'HTTPS']));
        for (const header of list(a.httpHeaders)) {
          for (const msg of isHTTPHeaderName(str(header?.name))) errs.push(fieldInvalid(p.child('httpHeaders'), str(header?.name), msg));
        }
        break;
      }
      case 'tcpSocket':
        errs.push(...validatePortNumOrName(a.port, p.child('port')));
        break;
      case 'grpc':
        errs.push(...validatePortNumOrName(typeof a.port === 'number' ? a.port : 0, p.child('port')));
        break;
      case 'sleep': {
        const seconds = typeof a.seconds === 'number' ? a.seconds : 0;
        if (gracePeriod !== undefined && (seconds < 0 || seconds > gracePeriod)) {
          errs.push(fieldInvalid(p, seconds, `must be non-negative and less than terminationGracePeriodSeconds (${gracePeriod})`));
        }
        break;
      }
    }
  }
  if (n === 0) errs.push(fieldRequired(path, 'must specify a handler type'));
  return errs;
}

const probeHandlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const lifecycleHandlers = ['exec', 'httpGet', 'tcpSocket', 'sleep'];

function validateProbe(probe: Json, gracePeriod: number | undefined, path: FieldPath): FieldError[] {
  const errs = validateHandler(probe, probeHandlers, gracePeriod, path);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    errs.push(...validateNonnegativeField(typeof probe[f] === 'number' ? probe[f] : 0, path.child(f)));
  }
  const tgp = probe.terminationGracePeriodSeconds;
  if (typeof tgp === 'number' && tgp <= 0) errs.push(fieldInvalid(path.child('terminationGracePeriodSeconds'), tgp, 'must be greater than 0'));
  return errs;
}

function validateProbes(ctr: Json, gracePeriod: number | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (isObject(ctr.livenessProbe)) {
    errs.push(...validateProbe(ctr.livenessProbe, gracePeriod, path.child('livenessProbe')));
    const st = ctr.livenessProbe.successThreshold ?? 0;
    if (st !== 1) errs.push(fieldInvalid(path.child('livenessProbe', 'successThreshold'), st, 'must be 1'));
  }
  if (isObject(ctr.readinessProbe)) {
    errs.push(...validateProbe(ctr.readinessProbe, gracePeriod, path.child('readinessProbe')));
    if (ctr.readinessProbe.terminationGracePeriodSeconds != null) {
      errs.push(
        fieldInvalid(path.child('readinessProbe', 'terminationGracePeriodSeconds'), ctr.readinessProbe.terminationGracePeriodSeconds, 'must not be set for readinessProbes'),
      );
    }
  }
  if (isObject(ctr.startupProbe)) {
    errs.push(...validateProbe(ctr.startupProbe, gracePeriod, path.child('startupProbe')));
    const st = ctr.startupProbe.successThreshold ?? 0;
    if (st !== 1) errs.push(fieldInvalid(path.child('startupProbe', 'successThreshold'), st, 'must be 1'));
  }
  return errs;
}

function validateLifecycle(lc: Json, gracePeriod: number | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (lc.postStart != null) errs.push(...validateHandler(lc.postStart, lifecycleHandlers, gracePeriod, path.child('postStart')));
  if (lc.preStop != null) errs.push(...validateHandler(lc.preStop, lifecycleHandlers, gracePeriod, path.child('preStop')));
  return errs;
}

// ---- containers ----

interface ContainerContext {
  vols: Volumes;
  podClaimNames: Set<string>;
  restartPolicy: string;
  hostUsers: boolean;
}

function validateContainerCommon(ctr: Json, ctx: ContainerContext, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(ctr?.name);
  if (!name) errs.push(fieldRequired(path.child('name')));
  else errs.push(...dns1123Label(name, path.child('name')));
  if (!str(ctr?.image)) errs.push(fieldRequired(path.child('image')));
  const tmp = str(ctr?.terminationMessagePolicy);
  if (!tmp) errs.push(fieldRequired(path.child('terminationMessagePolicy')));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError') {
    errs.push(fieldNotSupported(path.child('terminationMessagePolicy'), tmp, ['File', 'FallbackToLogsOnError']));
  }
  const mounts = new Map<string, string>(list(ctr?.volumeMounts).map((m: Json) => [str(m?.name), str(m?.mountPath)]));
  const devices = new Map<string, string>(list(ctr?.volumeDevices).map((d: Json) => [str(d?.name), str(d?.devicePath)]));
  errs.push(...validateContainerPorts(list(ctr?.ports), path.child('ports')));
  errs.push(...validateEnv(list(ctr?.env), path.child('env')));
  errs.push(...validateEnvFrom(list(ctr?.envFrom), path.child('envFrom')));
  errs.push(...validateVolumeMounts(list(ctr?.volumeMounts), devices, ctx.vols, ctr, path.child('volumeMounts')));
  errs.push(...validateVolumeDevices(list(ctr?.volumeDevices), mounts, ctx.vols, path.child('volumeDevices')));
  const pp = str(ctr?.imagePullPolicy);
  if (!pp) errs.push(fieldRequired(path.child('imagePullPolicy')));
  else if (!pullPolicies.includes(pp)) errs.push(fieldNotSupported(path.child('imagePullPolicy'), pp, pullPolicies));
  errs.push(...validateResourceRequirements(ctr?.resources, path.child('resources'), ctx.podClaimNames));
  errs.push(...validateResizePolicy(list(ctr?.resizePolicy), path.child('resizePolicy'), ctx.restartPolicy));
  errs.push(...validateSecurityContext(ctr?.securityContext, path.child('securityContext'), ctx.hostUsers));
  return errs;
}

function checkHostPortConflicts(containers: Json[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((ctr, ci) => {
    list(ctr?.ports).forEach((port: Json, pi: number) => {
      if (!port?.hostPort) return;
      const key = `${str(port.protocol)}/${str(port.hostIP)}/${port.hostPort}`;
      if (seen.has(key)) errs.push(fieldDuplicate(path.index(ci).child('ports').index(pi).child('hostPort'), key));
      else seen.add(key);
    });
  });
  return errs;
}

function validateContainers(containers: Json[], ctx: ContainerContext, gracePeriod: number | undefined, path: FieldPath): FieldError[] {
  if (containers.length === 0) return [fieldRequired(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((ctr, i) => {
    const p = path.index(i);
    errs.push(...validateContainerCommon(ctr, ctx, p));
    const name = str(ctr?.name);
    if (names.has(name)) errs.push(fieldDuplicate(p.child('name'), name));
    else names.add(name);
    if (isObject(ctr?.lifecycle)) errs.push(...validateLifecycle(ctr.lifecycle, gracePeriod, p.child('lifecycle')));
    if (isObject(ctr)) errs.push(...validateProbes(ctr, gracePeriod, p));
    if (ctr?.restartPolicy != null) errs.push(fieldForbidden(p.child('restartPolicy'), 'may not be set for non-init containers'));
  });
  errs.push(...checkHostPortConflicts(containers, path));
  return errs;
}

function validateInitContainers(
  inits: Json[],
  regular: Json[],
  ctx: ContainerContext,
  gracePeriod: number | undefined,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>(regular.map((c) => str(c?.name)));
  inits.forEach((ctr, i) => {
    const p = path.index(i);
    errs.push(...validateContainerCommon(ctr, ctx, p));
    let restartAlways = false;
    if (ctr?.restartPolicy != null) {
      if (ctr.restartPolicy !== 'Always') errs.push(fieldNotSupported(p.child('restartPolicy'), str(ctr.restartPolicy), ['Always']));
      restartAlways = ctr.restartPolicy === 'Always';
    }
    const name = str(ctr?.name);
    if (names.has(name)) errs.push(fieldDuplicate(p.child('name'), name));
    else if (name) names.add(name);
    errs.push(...checkHostPortConflicts([ctr], path));
    if (restartAlways) {
      if (isObject(ctr.lifecycle)) errs.push(...validateLifecycle(ctr.lifecycle, gracePeriod, p.child('lifecycle')));
      errs.push(...validateProbes(ctr, gracePeriod, p));
    } else {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (ctr?.[f] != null) errs.push(fieldForbidden(p.child(f), 'may not be set for init containers without restartPolicy=Always'));
      }
    }
  });
  return errs;
}

// ---- the rest of the PodSpec ----

const restartPolicies = ['Always', 'OnFailure', 'Never'];
const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const preemptionPolicies = ['PreemptLowerPriority', 'Never'];
const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function validateTolerations(tolerations: Json[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  tolerations.forEach((t, i) => {
    const p = path.index(i);
    const key = str(t?.key);
    const op = str(t?.operator);
    const value = str(t?.value);
    const effect = str(t?.effect);
    if (key) errs.push(...validateLabelName(key, p.child('key')));
    if (!key && op !== 'Exists') {
      errs.push(fieldInvalid(p.child('operator'), op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t?.tolerationSeconds != null && effect !== 'NoExecute') {
      errs.push(fieldInvalid(p.child('effect'), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (op === 'Equal' || op === '') {
      const msgs = isValidLabelValue(value);
      if (msgs.length) errs.push(fieldInvalid(p.child('operator'), value, msgs.join(';')));
    } else if (op === 'Exists') {
      if (value) errs.push(fieldInvalid(p.child('operator'), value, "value must be empty when `operator` is 'Exists'"));
    } else errs.push(fieldNotSupported(p.child('operator'), op, ['Equal', 'Exists']));
    if (effect && !taintEffects.includes(effect)) errs.push(fieldNotSupported(p.child('effect'), effect, taintEffects));
  });
  return errs;
}

function validateDNSConfig(cfg: Json, dnsPolicy: string, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (dnsPolicy === 'None') {
    if (cfg == null) return [fieldRequired(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (list(cfg.nameservers).length === 0) {
      return [fieldRequired(path.child('nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
    }
  }
  if (!isObject(cfg)) return errs;
  const ns = list(cfg.nameservers);
  if (ns.length > 3) errs.push(fieldInvalid(path.child('nameservers'), new GoRepr(goStrings(ns)), 'must not have more than 3 nameservers'));
  ns.forEach((n, i) => errs.push(...isValidIP(path.child('nameservers').index(i), str(n))));
  const searches = list(cfg.searches).map(str);
  if (searches.length > 32) errs.push(fieldInvalid(path.child('searches'), new GoRepr(goStrings(searches)), 'must not have more than 32 search paths'));
  if (searches.join(' ').length > 2048) {
    errs.push(fieldInvalid(path.child('searches'), new GoRepr(goStrings(searches)), 'must not have more than 2048 characters (including spaces) in the search list'));
  }
  // RelaxedDNSSearchValidation is on by default in 1.33.
  searches.forEach((s, i) => {
    if (s === '.') return;
    const trimmed = s.endsWith('.') ? s.slice(0, -1) : s;
    for (const msg of isDNS1123SubdomainWithUnderscore(trimmed)) errs.push(fieldInvalid(path.child('searches').index(i), trimmed, msg));
  });
  list(cfg.options).forEach((o: Json, i: number) => {
    if (!str(o?.name)) errs.push(fieldRequired(path.child('options').index(i), 'must not be empty'));
  });
  return errs;
}

const goStrings = (a: Json[]) => `[]string{${a.map((s) => JSON.stringify(str(s))).join(', ')}}`;

function nameErrors(value: unknown, path: FieldPath): FieldError[] {
  const s = str(value);
  return s ? dns1123Subdomain(s, path) : [];
}

/** ValidatePodSpec: `podMeta` is the Pod's metadata, absent for templates. */
export function validatePodSpec(spec: Json, podMeta: Json, path: FieldPath, opts: PodValidationOptions): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObject(spec)) spec = {};
  if (spec.terminationGracePeriodSeconds == null) errs.push(fieldRequired(path.child('terminationGracePeriodSeconds')));
  const gracePeriod = typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : undefined;
  const hostUsers = spec.hostUsers !== false;
  const { vols, errs: vErrs } = validateVolumes(list(spec.volumes), podMeta, path.child('volumes'));
  errs.push(...vErrs);
  const podClaimNames = new Set<string>(list(spec.resourceClaims).map((c: Json) => str(c?.name)).filter((n: string) => n));
  const claimSeen = new Set<string>();
  list(spec.resourceClaims).forEach((c: Json, i: number) => {
    const p = path.child('resourceClaims').index(i);
    const name = str(c?.name);
    if (!name) errs.push(fieldRequired(p.child('name')));
    else if (claimSeen.has(name)) errs.push(fieldDuplicate(p.child('name'), name));
    else {
      errs.push(...dns1123Label(name, p.child('name')));
      claimSeen.add(name);
    }
  });
  const ctx: ContainerContext = { vols, podClaimNames, restartPolicy: str(spec.restartPolicy), hostUsers };
  errs.push(...validateContainers(list(spec.containers), ctx, gracePeriod, path.child('containers')));
  errs.push(...validateInitContainers(list(spec.initContainers), list(spec.containers), ctx, gracePeriod, path.child('initContainers')));
  if (spec.hostNetwork === true) {
    list(spec.containers).forEach((c: Json, i: number) => {
      list(c?.ports).forEach((port: Json, j: number) => {
        const hp = port?.hostPort ?? 0;
        const cp = port?.containerPort ?? 0;
        if ((opts.resourceIsPod || hp !== 0) && hp !== cp) {
          errs.push(
            fieldInvalid(path.child('containers').index(i).child('ports').index(j).child('hostPort'), hp, 'must match `containerPort` when `hostNetwork` is true'),
          );
        }
      });
    });
  }
  const rp = str(spec.restartPolicy);
  if (!rp) errs.push(fieldRequired(path.child('restartPolicy')));
  else if (!restartPolicies.includes(rp)) errs.push(fieldNotSupported(path.child('restartPolicy'), rp, restartPolicies));
  const dp = str(spec.dnsPolicy);
  if (!dp) errs.push(fieldRequired(path.child('dnsPolicy')));
  else if (!dnsPolicies.includes(dp)) errs.push(fieldNotSupported(path.child('dnsPolicy'), dp, dnsPolicies));
  errs.push(...validateLabels(isObject(spec.nodeSelector) ? spec.nodeSelector : null, path.child('nodeSelector')));
  errs.push(...validatePodSecurityContext(spec.securityContext, spec, path.child('securityContext')));
  list(spec.imagePullSecrets).forEach((s: Json, i: number) => {
    if (isObject(s) && Object.keys(s).some((k) => k !== 'name')) {
      errs.push(fieldInvalid(path.child('imagePullSecrets').index(i), new GoRepr(`core.LocalObjectReference{Name:${JSON.stringify(str(s.name))}}`), 'only name may be set'));
    }
  });
  errs.push(...validateDNSConfig(spec.dnsConfig, dp, path.child('dnsConfig')));
  list(spec.readinessGates).forEach((g: Json, i: number) => {
    errs.push(...qualifiedName(str(g?.conditionType), path.child('readinessGates').index(i).child('conditionType')));
  });
  const gates = new Set<string>();
  list(spec.schedulingGates).forEach((g: Json, i: number) => {
    const name = str(g?.name);
    errs.push(...qualifiedName(name, path.child('schedulingGates').index(i)));
    if (gates.has(name)) errs.push(fieldDuplicate(path.child('schedulingGates').index(i), name));
    gates.add(name);
  });
  if (spec.hostUsers === false) {
    if (spec.hostNetwork === true) errs.push(fieldForbidden(path.child('hostNetwork'), 'when `pod.Spec.HostUsers` is false'));
    if (spec.hostPID === true) errs.push(fieldForbidden(path.child('HostPID'), 'when `pod.Spec.HostUsers` is false'));
    if (spec.hostIPC === true) errs.push(fieldForbidden(path.child('HostIPC'), 'when `pod.Spec.HostUsers` is false'));
  }
  errs.push(...nameErrors(spec.serviceAccountName, path.child('serviceAccountName')));
  errs.push(...nameErrors(spec.nodeName, path.child('nodeName')));
  if (spec.activeDeadlineSeconds != null) {
    const v = spec.activeDeadlineSeconds;
    if (typeof v !== 'number' || v < 1 || v > maxInt32) {
      errs.push(fieldInvalid(path.child('activeDeadlineSeconds'), v, inclusiveRangeError(1, maxInt32)));
    }
  }
  if (str(spec.hostname)) errs.push(...dns1123Label(str(spec.hostname), path.child('hostname')));
  if (str(spec.subdomain)) errs.push(...dns1123Label(str(spec.subdomain), path.child('subdomain')));
  errs.push(...validateTolerations(list(spec.tolerations), path.child('tolerations')));
  list(spec.hostAliases).forEach((ha: Json, i: number) => {
    const p = path.child('hostAliases').index(i);
    errs.push(...isValidIP(p.child('ip'), str(ha?.ip)));
    list(ha?.hostnames).forEach((h: Json, j: number) => errs.push(...dns1123Subdomain(str(h), p.child('hostnames').index(j))));
  });
  errs.push(...nameErrors(spec.priorityClassName, path.child('priorityClassName')));
  if (spec.runtimeClassName != null) errs.push(...dns1123Subdomain(str(spec.runtimeClassName), path.child('runtimeClassName')));
  if (spec.preemptionPolicy != null) {
    const pp = str(spec.preemptionPolicy);
    if (!pp) errs.push(fieldRequired(path.child('preemptionPolicy')));
    else if (!preemptionPolicies.includes(pp)) errs.push(fieldNotSupported(path.child('preemptionPolicy'), pp, preemptionPolicies));
  }
  if (spec.overhead != null) errs.push(...validateResourceRequirements({ limits: spec.overhead }, path.child('overhead'), podClaimNames));
  if (spec.os != null) {
    const os = str(spec.os.name);
    if (!os) errs.push(fieldRequired(path.child('os', 'name')));
    else if (os !== 'linux' && os !== 'windows') errs.push(fieldNotSupported(path.child('os', 'name'), os, ['linux', 'windows']));
  }
  return errs;
}

/** ValidatePodSpecificAnnotations for the annotations a single-machine cluster reads. */
function validatePodSpecificAnnotations(annotations: Json, spec: Json, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObject(annotations)) return errs;
  const mirror = annotations['kubernetes.io/config.mirror'];
  if (mirror !== undefined && !str(spec?.nodeName)) {
    errs.push(fieldInvalid(path.key('kubernetes.io/config.mirror'), str(mirror), 'must set spec.nodeName if mirror pod annotation is set'));
  }
  const cost = annotations['controller.kubernetes.io/pod-deletion-cost'];
  if (cost !== undefined) {
    const n = Number(cost);
    if (!/^[+-]?\d+$/.test(str(cost)) || n < -2147483648 || n > maxInt32) {
      errs.push(fieldInvalid(path.key('controller.kubernetes.io/pod-deletion-cost'), str(cost), 'must be a 32bit integer'));
    }
  }
  return errs;
}

/** ValidatePodTemplateSpec, for the template of a PodTemplate, Deployment or ReplicaSet. */
export function validatePodTemplateSpec(template: Json, path: FieldPath): FieldError[] {
  const t = isObject(template) ? template : {};
  const meta = isObject(t.metadata) ? t.metadata : {};
  const errs: FieldError[] = [];
  errs.push(...validateLabels(isObject(meta.labels) ? meta.labels : null, path.child('labels')));
  errs.push(...validateAnnotations(isObject(meta.annotations) ? meta.annotations : null, path.child('annotations')));
  errs.push(...validatePodSpecificAnnotations(meta.annotations, t.spec, path.child('annotations')));
  errs.push(...validatePodSpec(t.spec, undefined, path.child('spec'), { resourceIsPod: false }));
  if (list(t.spec?.ephemeralContainers).length > 0) {
    errs.push(fieldForbidden(path.child('spec', 'ephemeralContainers'), 'ephemeral containers not allowed in pod template'));
  }
  return errs;
}

function validatePodMetadataAndSpec(pod: KObject): FieldError[] {
  const spec = pod.spec;
  const specPath = FieldPath.root('spec');
  const errs = validatePodSpecificAnnotations(pod.metadata?.annotations, spec, FieldPath.root('metadata').child('annotations'));
  errs.push(...validatePodSpec(spec, pod.metadata, specPath, { resourceIsPod: true }));
  if (!str(spec?.serviceAccountName)) {
    list(spec?.volumes).forEach((v: Json, vi: number) => {
      list(v?.projected?.sources).forEach((s: Json, si: number) => {
        if (s?.serviceAccountToken != null) {
          errs.push(
            fieldForbidden(
              specPath.child('volumes').index(vi).child('projected', 'sources').index(si).child('serviceAccountToken'),
              'must not be specified when serviceAccountName is not set',
            ),
          );
        }
      });
    });
  }
  for (const kind of ['containers', 'initContainers']) {
    list(spec?.[kind]).forEach((c: Json, i: number) => {
      const image = str(c?.image);
      if (image.length !== image.trim().length) {
        errs.push(fieldInvalid(specPath.child(kind).index(i).child('image'), image, 'must not have leading or trailing whitespace'));
      }
    });
  }
  return errs;
}

/** ValidatePodCreate, without ObjectMeta (the generic store checks it). */
export function validateCreate(pod: KObject): FieldError[] {
  const errs = validatePodMetadataAndSpec(pod);
  const specPath = FieldPath.root('spec');
  const spec = pod.spec ?? {};
  if (list(spec.ephemeralContainers).length > 0) errs.push(fieldForbidden(specPath.child('ephemeralContainers'), 'cannot be set on create'));
  if (str(spec.nodeName) && list(spec.schedulingGates).length !== 0) {
    errs.push(fieldForbidden(specPath.child('nodeName'), 'cannot be set until all schedulingGates have been cleared'));
  }
  return errs;
}

const updatablePodSpecFields = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

/** Semantic equality: null, absent and empty lists are the same, as upstream's apiequality.Semantic. */
export function semanticEqual(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(normalize(a), normalize(b));
}

function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 0 ? undefined : v.map(normalize);
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const n = normalize(x);
      if (n !== undefined && n !== null) out[k] = n;
    }
    return out;
  }
  return v;
}

/** The Go field name a PodSpec JSON key corresponds to, for the diff upstream appends to the error. */
function goFieldName(key: string): string {
  const special: Record<string, string> = { dnsPolicy: 'DNSPolicy', dnsConfig: 'DNSConfig', os: 'OS', hostIPC: 'HostIPC', hostPID: 'HostPID' };
  return special[key] ?? key.charAt(0).toUpperCase() + key.slice(1);
}

/** A go-cmp style diff of two PodSpecs, field by field; upstream prints its cmp.Diff here. */
function specDiff(oldSpec: Json, newSpec: Json): string {
  const keys = [...new Set([...Object.keys(oldSpec ?? {}), ...Object.keys(newSpec ?? {})])];
  const lines = ['  core.PodSpec{'];
  for (const k of keys) {
    const a = oldSpec?.[k];
    const b = newSpec?.[k];
    if (semanticEqual(a, b)) continue;
    const name = goFieldName(k);
    lines.push(`- \t${name}: ${a === undefined ? 'nil' : JSON.stringify(a)},`);
    lines.push(`+ \t${name}: ${b === undefined ? 'nil' : JSON.stringify(b)},`);
  }
  lines.push('  }');
  return lines.join('\n') + '\n';
}

/** ValidatePodUpdate, without ObjectMeta: only images, activeDeadlineSeconds, tolerations and gates may change. */
export function validateUpdate(pod: KObject, old: KObject): FieldError[] {
  const errs = validatePodMetadataAndSpec(pod);
  const annPath = FieldPath.root('metadata').child('annotations');
  const newAnn = isObject(pod.metadata?.annotations) ? pod.metadata.annotations : {};
  const oldAnn = isObject(old.metadata?.annotations) ? old.metadata.annotations : {};
  const apparmorPrefix = 'container.apparmor.security.beta.kubernetes.io/';
  for (const [k, v] of Object.entries(oldAnn)) {
    if (k in newAnn && newAnn[k] === v) continue;
    if (k.startsWith(apparmorPrefix)) errs.push(fieldForbidden(annPath.key(k), 'may not remove or update AppArmor annotations'));
    if (k === 'kubernetes.io/config.mirror') errs.push(fieldForbidden(annPath.key(k), 'may not remove or update mirror pod annotation'));
  }
  for (const k of Object.keys(newAnn)) {
    if (k in oldAnn) continue;
    if (k.startsWith(apparmorPrefix)) errs.push(fieldForbidden(annPath.key(k), 'may not add AppArmor annotations'));
    if (k === 'kubernetes.io/config.mirror') errs.push(fieldForbidden(annPath.key(k), 'may not add mirror pod annotation'));
  }
  const specPath = FieldPath.root('spec');
  const spec = isObject(pod.spec) ? pod.spec : {};
  const oldSpec = isObject(old.spec) ? old.spec : {};
  for (const kind of ['containers', 'initContainers']) {
    const now = list(spec[kind]);
    const before = list(oldSpec[kind]);
    if (now.length !== before.length) {
      errs.push(fieldForbidden(specPath.child(kind), 'pod updates may not add or remove containers'));
      return errs;
    }
    now.forEach((c: Json, i: number) => {
      const image = str(c?.image);
      if (!image) errs.push(fieldRequired(specPath.child(kind).index(i).child('image')));
      if (image.trim().length !== image.length) {
        errs.push(fieldInvalid(specPath.child(kind).index(i).child('image'), image, 'must not have leading or trailing whitespace'));
      }
    });
  }
  const ads = spec.activeDeadlineSeconds;
  const oldAds = oldSpec.activeDeadlineSeconds;
  if (ads != null) {
    if (typeof ads !== 'number' || ads < 0 || ads > maxInt32) {
      errs.push(fieldInvalid(specPath.child('activeDeadlineSeconds'), ads, inclusiveRangeError(0, maxInt32)));
      return errs;
    }
    if (typeof oldAds === 'number' && oldAds < ads) {
      errs.push(fieldInvalid(specPath.child('activeDeadlineSeconds'), ads, 'must be less than or equal to previous value'));
      return errs;
    }
  } else if (oldAds != null) {
    errs.push(fieldInvalid(specPath.child('activeDeadlineSeconds'), 'null', 'must not update from a positive integer to nil value'));
  }
  // Only additions to tolerations; tolerationSeconds of existing ones may change.
  const newTols = list(spec.tolerations);
  const modified = list(oldSpec.tolerations).some(
    (t: Json) => !newTols.some((n: Json) => semanticEqual({ ...t, tolerationSeconds: undefined }, { ...n, tolerationSeconds: undefined })),
  );
  if (modified) errs.push(fieldForbidden(specPath.child('tolerations'), 'existing toleration can not be modified except its tolerationSeconds'));
  else errs.push(...validateTolerations(newTols, specPath.child('tolerations')));
  const oldGates = new Set(list(oldSpec.schedulingGates).map((g: Json) => str(g?.name)));
  list(spec.schedulingGates).forEach((g: Json, i: number) => {
    const name = str(g?.name);
    if (!oldGates.has(name)) {
      errs.push(fieldForbidden(specPath.child('schedulingGates').index(i).child('name'), `only deletion is allowed, but found new scheduling gate '${name}'`));
    }
  });
  if (semanticEqual(spec, oldSpec)) return errs;
  const munged: Json = structuredClone(spec);
  for (const kind of ['containers', 'initContainers']) {
    list(munged[kind]).forEach((c: Json, i: number) => {
      if (isObject(c)) c.image = oldSpec[kind][i]?.image;
    });
  }
  munged.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;
  munged.schedulingGates = oldSpec.schedulingGates;
  munged.tolerations = oldSpec.tolerations;
  if (typeof oldSpec.terminationGracePeriodSeconds === 'number' && oldSpec.terminationGracePeriodSeconds < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = oldSpec.terminationGracePeriodSeconds;
  }
  if (oldGates.size > 0) {
    // A gated pod may gain node selector entries and node affinity; the rest stays fixed.
    munged.nodeSelector = oldSpec.nodeSelector;
    if (isObject(munged.affinity)) munged.affinity.nodeAffinity = oldSpec.affinity?.nodeAffinity;
  }
  if (!semanticEqual(munged, oldSpec)) {
    errs.push(
      fieldForbidden(specPath, `pod updates may not change fields other than ${updatablePodSpecFields.join(',')}\n${specDiff(oldSpec, munged)}`),
    );
  }
  return errs;
}
