// Images registered through the API (`images.dabba.dev` objects): watched by the node, offered to the image store, and given a Ready condition that says whether this node can run them.
import { stat } from 'node:fs/promises';
import type { KObject } from '../../apiserver/registry/kobject.ts';
import type { KubeClient, ResourceRef } from '../../client/client.ts';
import { Informer } from '../../client/informer.ts';
import { familiarName, familiarRepository, parseImageReference } from '../../machinery/image-reference.ts';
import { IMAGE_API_VERSION, type ImageRecord } from './image-record.ts';

export const imagesRef: ResourceRef = { group: 'dabba.dev', version: 'v1alpha1', resource: 'images', kind: 'Image', namespaced: false };

interface ImageObject extends KObject {
  spec?: {
    image?: string;
    from?: string;
    rootfs?: string;
    workingDir?: string;
    command?: string[];
    args?: string[];
    env?: { name: string; value?: string }[];
    user?: number;
    mounts?: { hostPath: string; containerPath: string; readOnly?: boolean }[];
  };
  status?: { observedGeneration?: number; conditions?: Condition[] };
}

interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

/** The store record an Image object stands for (the API admitted its spec, so it is well formed). */
export function imageRecordOf(obj: ImageObject): ImageRecord | undefined {
  const s = obj.spec;
  if (!s?.image) return undefined;
  let ref;
  try {
    ref = parseImageReference(s.image);
  } catch {
    return undefined;
  }
  const workingDir = s.workingDir ?? (s.from ? '/app' : '/');
  return {
    apiVersion: IMAGE_API_VERSION,
    kind: 'Image',
    repository: familiarRepository(ref),
    tag: ref.tag,
    rootfs: s.rootfs ?? '/',
    mounts: [
      ...(s.from ? [{ hostPath: s.from, containerPath: workingDir, readOnly: true }] : []),
      ...(s.mounts ?? []).map((m) => ({ hostPath: m.hostPath, containerPath: m.containerPath, readOnly: m.readOnly ?? true })),
    ],
    entrypoint: s.command ?? [],
    cmd: s.args ?? [],
    workingDir,
    env: Object.fromEntries((s.env ?? []).map((e) => [e.name, e.value ?? ''])),
    user: s.user ?? 0,
    description: `Image ${obj.metadata.name}${s.from ? `: ${s.from} at ${workingDir}` : ''}`,
    createdAt: obj.metadata.creationTimestamp ?? undefined,
  };
}

/** The first host path of a record that does not exist on this machine. */
async function missingPath(r: ImageRecord): Promise<string | undefined> {
  for (const p of [r.rootfs, ...r.mounts.map((m) => m.hostPath)]) {
    if (!(await stat(p).then(() => true, () => false))) return p;
  }
  return undefined;
}

export interface PublishedImagesOptions {
  client: KubeClient;
  log?: { error(msg: string, fields?: Record<string, unknown>): void };
}

export class PublishedImages {
  readonly #client: KubeClient;
  readonly #informer: Informer;
  readonly #log: PublishedImagesOptions['log'];
  /** familiar name → record and the object that registers it. */
  readonly #records = new Map<string, { record: ImageRecord; object: string }>();
  #started = false;

  constructor(o: PublishedImagesOptions) {
    this.#client = o.client;
    this.#log = o.log;
    this.#informer = new Informer(o.client, imagesRef);
    this.#informer.on({
      add: (o) => this.#sync(o as ImageObject),
      update: (o) => this.#sync(o as ImageObject),
      delete: (o) => this.#forget(o.metadata.name ?? ''),
    });
  }

  async start(): Promise<void> {
    await this.#informer.start();
    this.#started = true;
  }

  stop(): void {
    this.#informer.stop();
  }

  /**
   * The record an Image object registers for `image` (its paths may be missing: the store says so when it resolves).
   * A lookup also refreshes the object's Ready condition, so a directory created after the Image shows up as Ready.
   */
  get(image: string): { record: ImageRecord; object: string } | undefined {
    if (!this.#started) return undefined;
    let found;
    try {
      found = this.#records.get(familiarName(parseImageReference(image)));
    } catch {
      return undefined;
    }
    const obj = found && this.#informer.get(found.object);
    if (obj) void this.#sync(obj as ImageObject);
    return found;
  }

  #forget(object: string): void {
    for (const [k, v] of this.#records) if (v.object === object) this.#records.delete(k);
  }

  #sync(obj: ImageObject): Promise<void> {
    const name = obj.metadata.name ?? '';
    this.#forget(name);
    const record = imageRecordOf(obj);
    if (!record) return Promise.resolve();
    this.#records.set(`${record.repository}:${record.tag}`, { record, object: name });
    return this.#writeStatus(obj, record).catch((e) => this.#log?.error('image status update failed', { image: name, error: String(e) }));
  }

  async #writeStatus(obj: ImageObject, rec: ImageRecord): Promise<void> {
    const name = `${rec.repository}:${rec.tag}`;
    const missing = await missingPath(rec);
    // The object may have been replaced meanwhile; only the cached version's status is written.
    const current = this.#informer.get(obj.metadata.name ?? '') as ImageObject | undefined;
    if (current?.metadata.resourceVersion !== obj.metadata.resourceVersion) return;
    const want: Omit<Condition, 'lastTransitionTime'> = missing
      ? { type: 'Ready', status: 'False', reason: 'PathNotFound', message: `${missing} does not exist on this node; pods of ${name} fail with ErrImagePull until it does`, observedGeneration: obj.metadata.generation }
      : { type: 'Ready', status: 'True', reason: 'Registered', message: `pods can run ${name}`, observedGeneration: obj.metadata.generation };
    const have = obj.status?.conditions?.find((c) => c.type === 'Ready');
    if (have && have.status === want.status && have.reason === want.reason && have.message === want.message && have.observedGeneration === want.observedGeneration) return;
    const lastTransitionTime = have && have.status === want.status ? have.lastTransitionTime : new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await this.#client.patch(imagesRef, undefined, obj.metadata.name ?? '', { status: { observedGeneration: obj.metadata.generation, conditions: [{ ...want, lastTransitionTime }] } }, 'merge', 'status');
  }
}
