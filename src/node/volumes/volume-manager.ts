// Sets up a pod's volumes on the node (emptyDir, hostPath, configMap, secret, downwardAPI, projected with its token) and tears them down.
import { createHash } from 'node:crypto';
import { chmod, chown, lstat, mkdir, open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Quantity } from '../../machinery/quantity.ts';
import { DownwardAPIError, extractFieldPath, resourceFieldValue } from '../env/field-ref.ts';
import type {
  ConfigMap,
  DownwardAPIVolumeFile,
  KeyToPath,
  Pod,
  ResourceList,
  Secret,
  Volume,
  VolumeProjection,
} from '../pod-worker-types.ts';
import { podMemoryLimit } from '../status/resources.ts';
import { writeAtomically, type Payload } from './atomic-writer.ts';
import type { ServiceAccountTokens } from './service-account-token.ts';

/** MountVolume.SetUp failed: the pod waits in ContainerCreating with a FailedMount event carrying this message. */
export class VolumeSetupError extends Error {
  readonly code = 'NODE_ERR_VOLUME_SETUP';
  readonly volume: string;
  constructor(volume: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.volume = volume;
  }
}

export interface VolumeSources {
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  secret(namespace: string, name: string): Promise<Secret | undefined>;
  serviceAccount(namespace: string, name: string): Promise<{ automountServiceAccountToken?: boolean } | undefined>;
  tokens: ServiceAccountTokens;
  allocatable: ResourceList;
}

export interface MountedVolume {
  hostPath: string;
  /** configMap, secret, downwardAPI and projected volumes are always mounted read-only. */
  readOnly: boolean;
  /** emptyDir medium Memory: a tmpfs of this many bytes. */
  tmpfsBytes?: number;
}

export const serviceAccountMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';
const defaultMode = 0o644;
/** What the kubelet asks for kube-api-access volumes: an hour and seven seconds. */
export const serviceAccountTokenExpirationSeconds = 3607;

const decode = (b64: string): Buffer => Buffer.from(b64, 'base64');

const hostPathChecks: Record<string, [(s: import('node:fs').Stats) => boolean, string]> = {
  Directory: [(s) => s.isDirectory(), 'is not a directory'],
  File: [(s) => s.isFile(), 'is not a file'],
  Socket: [(s) => s.isSocket(), 'is not a socket file'],
  CharDevice: [(s) => s.isCharacterDevice(), 'is not a character device'],
  BlockDevice: [(s) => s.isBlockDevice(), 'is not a block device'],
};

/**
 * The projected volume the ServiceAccount admission plugin adds to pods that may use the API: a bound token, the
 * cluster CA and the namespace at /var/run/secrets/kubernetes.io/serviceaccount. Returned when no container mounts that
 * path yet and neither the pod nor its service account opts out.
 */
export async function implicitServiceAccountVolume(pod: Pod, sources: Pick<VolumeSources, 'serviceAccount'>): Promise<Volume | undefined> {
  const containers = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])];
  if (containers.some((c) => (c.volumeMounts ?? []).some((m) => m.mountPath.replace(/\/+$/, '') === serviceAccountMountPath))) return undefined;
  let automount = pod.spec.automountServiceAccountToken;
  if (automount === undefined) {
    const sa = await sources.serviceAccount(pod.metadata.namespace, pod.spec.serviceAccountName || 'default');
    automount = sa?.automountServiceAccountToken;
  }
  if (automount === false) return undefined;
  const suffix = createHash('sha256').update(pod.metadata.uid).digest('hex').slice(0, 5);
  return {
    name: `kube-api-access-${suffix}`,
    projected: {
      defaultMode,
      sources: [
        { serviceAccountToken: { expirationSeconds: serviceAccountTokenExpirationSeconds, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}

/** configmap.MakePayload. */
function configMapPayload(items: KeyToPath[] | undefined, cm: ConfigMap, mode: number, optional: boolean): Payload {
  const out: Payload = new Map();
  if (!items?.length) {
    for (const [k, v] of Object.entries(cm.data ?? {})) out.set(k, { data: Buffer.from(v), mode });
    for (const [k, v] of Object.entries(cm.binaryData ?? {})) out.set(k, { data: decode(v), mode });
    return out;
  }
  for (const it of items) {
    let data: Buffer;
    if (cm.data && it.key in cm.data) data = Buffer.from(cm.data[it.key]);
    else if (cm.binaryData && it.key in cm.binaryData) data = decode(cm.binaryData[it.key]);
    else {
      if (optional) continue;
      throw new Error(`configmap references non-existent config key: ${it.key}`);
    }
    out.set(it.path, { data, mode: it.mode ?? mode });
  }
  return out;
}

/** secret.MakePayload. */
function secretPayload(items: KeyToPath[] | undefined, s: Secret, mode: number, optional: boolean): Payload {
  const out: Payload = new Map();
  if (!items?.length) {
    for (const [k, v] of Object.entries(s.data ?? {})) out.set(k, { data: decode(v), mode });
    return out;
  }
  for (const it of items) {
    const v = s.data?.[it.key];
    if (v === undefined) {
      if (optional) continue;
      throw new Error(`secret references non-existent secret key: ${it.key}`);
    }
    out.set(it.path, { data: decode(v), mode: it.mode ?? mode });
  }
  return out;
}

export class VolumeManager {
  readonly #root: string;
  readonly #sources: VolumeSources;

  /** `root` holds one directory per pod uid, as the kubelet's /var/lib/kubelet/pods. */
  constructor(root: string, sources: VolumeSources) {
    this.#root = root;
    this.#sources = sources;
  }

  podDir(uid: string): string {
    return join(this.#root, uid);
  }

  /** The pod's volumes, including the implicit service-account one (returned so containers can mount it). */
  async volumesOf(pod: Pod): Promise<Volume[]> {
    const volumes = [...(pod.spec.volumes ?? [])];
    const sa = await implicitServiceAccountVolume(pod, this.#sources);
    if (sa) volumes.push(sa);
    return volumes;
  }

  /** Sets up (or refreshes) every volume; throws VolumeSetupError for the first that fails. */
  async setUp(pod: Pod, volumes: Volume[]): Promise<Map<string, MountedVolume>> {
    const out = new Map<string, MountedVolume>();
    await mkdir(join(this.podDir(pod.metadata.uid), 'volumes'), { recursive: true, mode: 0o750 });
    for (const v of volumes) {
      try {
        out.set(v.name, await this.#setUpOne(pod, v));
      } catch (e) {
        if (e instanceof VolumeSetupError) throw e;
        throw new VolumeSetupError(v.name, (e as Error).message, { cause: e });
      }
    }
    return out;
  }

  /** Removes the pod's directory: emptyDir contents and projected files. hostPath volumes are left alone. */
  async tearDown(uid: string): Promise<void> {
    this.#sources.tokens.forgetPod(uid);
    await rm(this.podDir(uid), { recursive: true, force: true });
  }

  #dir(pod: Pod, plugin: string, name: string): string {
    return join(this.podDir(pod.metadata.uid), 'volumes', `kubernetes.io~${plugin}`, name);
  }

  async #setUpOne(pod: Pod, v: Volume): Promise<MountedVolume> {
    const fsGroup = pod.spec.securityContext?.fsGroup;
    const ns = pod.metadata.namespace;
    if (v.emptyDir) {
      const dir = this.#dir(pod, 'empty-dir', v.name);
      await mkdir(dir, { recursive: true });
      await chmod(dir, fsGroup !== undefined ? 0o2777 : 0o777);
      if (fsGroup !== undefined) await chown(dir, -1, fsGroup).catch(() => undefined);
      if (v.emptyDir.medium === 'Memory') return { hostPath: dir, readOnly: false, tmpfsBytes: this.#memoryVolumeSize(pod, v) };
      return { hostPath: dir, readOnly: false };
    }
    if (v.hostPath) {
      await this.#checkHostPath(v.hostPath.path, v.hostPath.type ?? '');
      return { hostPath: v.hostPath.path, readOnly: false };
    }
    if (v.configMap) {
      const name = v.configMap.name ?? '';
      const optional = v.configMap.optional === true;
      const cm = await this.#sources.configMap(ns, name);
      if (!cm && !optional) throw new VolumeSetupError(v.name, `configmap "${name}" not found`);
      const payload = configMapPayload(v.configMap.items, cm ?? { metadata: { name, namespace: ns } }, v.configMap.defaultMode ?? defaultMode, optional);
      const dir = this.#dir(pod, 'configmap', v.name);
      await writeAtomically(dir, payload, { fsGroup });
      return { hostPath: dir, readOnly: true };
    }
    if (v.secret) {
      const name = v.secret.secretName ?? '';
      const optional = v.secret.optional === true;
      const s = await this.#sources.secret(ns, name);
      if (!s && !optional) throw new VolumeSetupError(v.name, `secret "${name}" not found`);
      const payload = secretPayload(v.secret.items, s ?? { metadata: { name, namespace: ns } }, v.secret.defaultMode ?? defaultMode, optional);
      const dir = this.#dir(pod, 'secret', v.name);
      await writeAtomically(dir, payload, { fsGroup });
      return { hostPath: dir, readOnly: true };
    }
    if (v.downwardAPI) {
      const dir = this.#dir(pod, 'downward-api', v.name);
      await writeAtomically(dir, this.#downwardPayload(pod, v.downwardAPI.items ?? [], v.downwardAPI.defaultMode ?? defaultMode), { fsGroup });
      return { hostPath: dir, readOnly: true };
    }
    if (v.projected) {
      const dir = this.#dir(pod, 'projected', v.name);
      await writeAtomically(dir, await this.#projectedPayload(pod, v.projected.sources ?? [], v.projected.defaultMode ?? defaultMode), { fsGroup });
      return { hostPath: dir, readOnly: true };
    }
    const kind = Object.keys(v).find((k) => k !== 'name') ?? 'unknown';
    throw new VolumeSetupError(v.name, `volume type ${kind} is not supported on this node`);
  }

  /** calculateEmptyDirMemorySize: node allocatable, cut to the pod's memory limit, cut to the volume's sizeLimit. */
  #memoryVolumeSize(pod: Pod, v: Volume): number {
    let size = Quantity.fromJSON(this.#sources.allocatable.memory ?? '0').value();
    const podLimit = podMemoryLimit(pod.spec);
    if (podLimit && podLimit > 0 && podLimit <= size) size = podLimit;
    const limit = v.emptyDir?.sizeLimit !== undefined ? Quantity.fromJSON(v.emptyDir.sizeLimit).value() : 0;
    if (limit > 0 && limit <= size) size = limit;
    return size;
  }

  async #checkHostPath(path: string, type: string): Promise<void> {
    if (type === '') return;
    const st = await lstat(path).then(
      () => stat(path),
      () => undefined,
    );
    if (type === 'DirectoryOrCreate') {
      if (!st) return void (await mkdir(path, { recursive: true, mode: 0o755 }));
      type = 'Directory';
    } else if (type === 'FileOrCreate') {
      if (!st) return void (await (await open(path, 'a', 0o644)).close());
      type = 'File';
    }
    const check = hostPathChecks[type];
    if (!check) throw new Error(`${type} is an invalid volume type`);
    if (!st || !check[0](st)) throw new Error(`hostPath type check failed: ${path} ${check[1]}`);
  }

  /** downwardapi.CollectData; errors of all items are reported together. */
  #downwardPayload(pod: Pod, items: DownwardAPIVolumeFile[], mode: number): Payload {
    const out: Payload = new Map();
    const errs: string[] = [];
    for (const it of items) {
      let data = '';
      try {
        if (it.fieldRef) data = extractFieldPath(pod, it.fieldRef.fieldPath);
        else if (it.resourceFieldRef) data = resourceFieldValue(it.resourceFieldRef, pod, undefined, this.#sources.allocatable);
      } catch (e) {
        if (!(e instanceof DownwardAPIError)) throw e;
        errs.push(e.message);
      }
      out.set(it.path.replace(/^\.\//, ''), { data: Buffer.from(data), mode: it.mode ?? mode });
    }
    if (errs.length) throw new Error(errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
    return out;
  }

  async #projectedPayload(pod: Pod, sources: VolumeProjection[], mode: number): Promise<Payload> {
    const out: Payload = new Map();
    const errs: string[] = [];
    const ns = pod.metadata.namespace;
    const merge = (p: Payload) => {
      for (const [k, f] of p) out.set(k, f);
    };
    for (const src of sources) {
      try {
        if (src.secret) {
          const name = src.secret.name ?? '';
          const optional = src.secret.optional === true;
          const s = await this.#sources.secret(ns, name);
          if (!s && !optional) throw new Error(`secret "${name}" not found`);
          merge(secretPayload(src.secret.items, s ?? { metadata: {} }, mode, optional));
        } else if (src.configMap) {
          const name = src.configMap.name ?? '';
          const optional = src.configMap.optional === true;
          const cm = await this.#sources.configMap(ns, name);
          if (!cm && !optional) throw new Error(`configmap "${name}" not found`);
          merge(configMapPayload(src.configMap.items, cm ?? { metadata: {} }, mode, optional));
        } else if (src.downwardAPI) {
          merge(this.#downwardPayload(pod, src.downwardAPI.items ?? [], mode));
        } else if (src.serviceAccountToken) {
          const tp = src.serviceAccountToken;
          const fileMode = pod.spec.securityContext?.fsGroup !== undefined ? 0o600 : mode;
          const sa = pod.spec.serviceAccountName || 'default';
          const token = await this.#sources.tokens.get(ns, sa, {
            audiences: tp.audience ? [tp.audience] : undefined,
            expirationSeconds: tp.expirationSeconds ?? 3600,
            // A pod without a service account name cannot be bound: the API refuses such bindings.
            boundObjectRef: pod.spec.serviceAccountName ? { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid } : undefined,
          });
          out.set(tp.path, { data: Buffer.from(token), mode: fileMode });
        }
      } catch (e) {
        errs.push((e as Error).message);
      }
    }
    if (errs.length) throw new Error(errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
    return out;
  }
}
