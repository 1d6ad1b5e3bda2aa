// A shared informer: list then watch one resource, keep a cache, and tell handlers what changed; relists after 410.
import type { KObject } from '../apiserver/registry/kobject.ts';
import { ApiError, type KubeClient, type ListOptions, type ResourceRef } from './client.ts';

export interface InformerHandlers {
  add?(obj: KObject): void;
  update?(obj: KObject, old: KObject): void;
  delete?(obj: KObject): void;
}

export const objectKey = (obj: KObject): string =>
  obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : (obj.metadata.name ?? '');

export class Informer {
  readonly ref: ResourceRef;
  readonly #client: KubeClient;
  readonly #cache = new Map<string, KObject>();
  readonly #handlers: InformerHandlers[] = [];
  #stop: (() => void) | undefined;
  #stopped = false;
  #synced = false;
  #resourceVersion = '';
  #retry: NodeJS.Timeout | undefined;
  readonly #selectors: Pick<ListOptions, 'labelSelector' | 'fieldSelector'>;

  /** `selectors` narrow what the informer lists and watches (a node agent's `spec.nodeName=<node>`). */
  constructor(client: KubeClient, ref: ResourceRef, selectors: Pick<ListOptions, 'labelSelector' | 'fieldSelector'> = {}) {
    this.#client = client;
    this.ref = ref;
    this.#selectors = selectors;
  }

  on(h: InformerHandlers): void {
    this.#handlers.push(h);
  }

  get synced(): boolean {
    return this.#synced;
  }

  get(key: string): KObject | undefined {
    return this.#cache.get(key);
  }

  list(): KObject[] {
    return [...this.#cache.values()];
  }

  async start(): Promise<void> {
    await this.#relist();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retry);
    this.#stop?.();
  }

  async #relist(): Promise<void> {
    const r = await this.#client.list(this.ref, undefined, { ...this.#selectors });
    const seen = new Set<string>();
    for (const item of r.items) {
      const obj: KObject = { ...item, apiVersion: this.#apiVersion(), kind: this.ref.kind };
      const key = objectKey(obj);
      seen.add(key);
      const old = this.#cache.get(key);
      this.#cache.set(key, obj);
      if (!old) this.#emit('add', obj);
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.#emit('update', obj, old);
    }
    for (const [key, old] of this.#cache) {
      if (!seen.has(key)) {
        this.#cache.delete(key);
        this.#emit('delete', old);
      }
    }
    this.#resourceVersion = r.metadata.resourceVersion;
    this.#synced = true;
    await this.#watch();
  }

  #apiVersion(): string {
    return this.ref.group ? `${this.ref.group}/${this.ref.version}` : this.ref.version;
  }

  async #watch(): Promise<void> {
    if (this.#stopped) return;
    try {
      this.#stop = await this.#client.watch(
        this.ref,
        undefined,
        { ...this.#selectors, resourceVersion: this.#resourceVersion, allowWatchBookmarks: true, timeoutSeconds: 300 },
        (e) => {
          if (e.type === 'ERROR') {
            this.#expired = (e.object as unknown as { code?: number }).code === 410;
            return;
          }
          this.#resourceVersion = e.object.metadata.resourceVersion ?? this.#resourceVersion;
          if (e.type === 'BOOKMARK') return;
          const key = objectKey(e.object);
          const old = this.#cache.get(key);
          if (e.type === 'DELETED') {
            this.#cache.delete(key);
            this.#emit('delete', e.object);
          } else {
            this.#cache.set(key, e.object);
            if (old) this.#emit('update', e.object, old);
            else this.#emit('add', e.object);
          }
        },
        () => this.#restart(),
      );
    } catch (e) {
      if (e instanceof ApiError && e.status === 410) this.#expired = true;
      this.#restart();
    }
  }

  #expired = false;

  #restart(): void {
    if (this.#stopped) return;
    clearTimeout(this.#retry);
    this.#retry = setTimeout(() => {
      const again = this.#expired ? this.#relist() : this.#watch();
      this.#expired = false;
      again.catch(() => this.#restart());
    }, this.#expired ? 0 : 200);
  }

  #emit(kind: 'add' | 'update' | 'delete', obj: KObject, old?: KObject): void {
    for (const h of this.#handlers) {
      if (kind === 'add') h.add?.(obj);
      else if (kind === 'update') h.update?.(obj, old!);
      else h.delete?.(obj);
    }
  }
}
