// Roles, cluster roles and their bindings held in memory, kept fresh from the RBAC stores' in-process watch.
import type { KObject } from '../registry/kobject.ts';
import type { Registry } from '../registry/registry.ts';
import type { WatchEventType } from '../registry/store.ts';
import type { RbacObjects } from './rule-resolver.ts';
import { rbacGroup } from './bootstrap-policy.ts';

type Kind = 'roles' | 'clusterroles' | 'rolebindings' | 'clusterrolebindings';
const kinds: Kind[] = ['clusterroles', 'roles', 'clusterrolebindings', 'rolebindings'];

const keyOf = (o: KObject) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : (o.metadata.name ?? ''));

export class RbacCache implements RbacObjects {
  readonly #maps: Record<Kind, Map<string, KObject>> = {
    roles: new Map(),
    clusterroles: new Map(),
    rolebindings: new Map(),
    clusterrolebindings: new Map(),
  };
  /** Role bindings by namespace, for the resolver's per-namespace walk. */
  readonly #bindingsByNamespace = new Map<string, Map<string, KObject>>();
  readonly #stops = new Map<Kind, () => void>();
  readonly #listeners: ((kind: Kind, obj: KObject, type: WatchEventType) => void)[] = [];
  #stopped = false;

  /** Lists and watches the four RBAC stores; resolves once the initial state is loaded. */
  async start(registry: Registry, log: (msg: string, fields?: Record<string, unknown>) => void): Promise<void> {
    await Promise.all(kinds.map((k) => this.#watch(registry, k, log)));
  }

  stop(): void {
    this.#stopped = true;
    for (const stop of this.#stops.values()) stop();
    this.#stops.clear();
  }

  /** Called after every change (the cluster role aggregation uses it). */
  onChange(fn: (kind: Kind, obj: KObject, type: WatchEventType) => void): void {
    this.#listeners.push(fn);
  }

  async #watch(registry: Registry, kind: Kind, log: (msg: string, fields?: Record<string, unknown>) => void): Promise<void> {
    const store = registry.store(rbacGroup, kind);
    if (!store) throw new Error(`RBAC store ${kind} is not registered`);
    this.#clear(kind);
    const stop = await store.watch(
      undefined,
      {},
      (type, obj) => this.#apply(kind, type, obj),
      (err) => {
        if (this.#stopped) return;
        log('RBAC cache watch ended, relisting', { kind, error: err.message });
        setTimeout(() => void this.#watch(registry, kind, log).catch((e) => log('RBAC cache relist failed', { kind, error: String(e) })), 100);
      },
    );
    this.#stops.set(kind, stop);
  }

  #clear(kind: Kind): void {
    this.#maps[kind].clear();
    if (kind === 'rolebindings') this.#bindingsByNamespace.clear();
  }

  #apply(kind: Kind, type: WatchEventType, obj: KObject): void {
    if (type === 'BOOKMARK' || type === 'ERROR') return;
    const key = keyOf(obj);
    if (type === 'DELETED') this.#maps[kind].delete(key);
    else this.#maps[kind].set(key, obj);
    if (kind === 'rolebindings') {
      const ns = obj.metadata.namespace ?? '';
      let m = this.#bindingsByNamespace.get(ns);
      if (!m) this.#bindingsByNamespace.set(ns, (m = new Map()));
      if (type === 'DELETED') m.delete(obj.metadata.name ?? '');
      else m.set(obj.metadata.name ?? '', obj);
    }
    for (const fn of this.#listeners) fn(kind, obj, type);
  }

  clusterRoleBindings(): Iterable<KObject> {
    return this.#maps.clusterrolebindings.values();
  }

  roleBindings(namespace: string): Iterable<KObject> {
    return this.#bindingsByNamespace.get(namespace)?.values() ?? [];
  }

  clusterRole(name: string): KObject | undefined {
    return this.#maps.clusterroles.get(name);
  }

  role(namespace: string, name: string): KObject | undefined {
    return this.#maps.roles.get(`${namespace}/${name}`);
  }

  clusterRoles(): Iterable<KObject> {
    return this.#maps.clusterroles.values();
  }
}
