// The set of served resources and their stores; kinds can be added and removed at run time (CustomResourceDefinitions).
import type { Backend } from '../../storage/backend.ts';
import type { Codec } from './codec.ts';
import { Store, type StoreLookup } from './store.ts';
import type { ResourceDefinition } from './resource.ts';
import type { ResourceHooks } from './strategy.ts';
import type { WatchHub } from '../watch/watch-hub.ts';
import type { Admission } from '../extension.ts';

export interface RegistryDeps {
  backend: Backend;
  codec: Codec;
  hub: WatchHub;
  lookup: StoreLookup;
  /** Validating admission run by every store after the kind's own validation (shared, may grow after start). */
  admission?: Admission[];
}

const keyOf = (group: string, resource: string) => `${group}/${resource}`;

export class Registry {
  readonly #deps: RegistryDeps;
  readonly #stores = new Map<string, Store>();
  readonly #listeners: (() => void)[] = [];
  #version = 0;

  constructor(deps: RegistryDeps) {
    this.#deps = deps;
  }

  /** Bumped on every change, so caches built from the definitions (discovery, OpenAPI) know when to rebuild. */
  get version(): number {
    return this.#version;
  }

  add(def: ResourceDefinition, hooks?: ResourceHooks): Store {
    const store = new Store(def, { ...this.#deps, hooks });
    this.#stores.set(keyOf(def.group, def.resource), store);
    this.#changed();
    return store;
  }

  remove(group: string, resource: string): void {
    if (this.#stores.delete(keyOf(group, resource))) this.#changed();
  }

  store(group: string, resource: string): Store | undefined {
    return this.#stores.get(keyOf(group, resource));
  }

  /** The store serving `resource` in `group/version`, if that version is served. */
  served(group: string, version: string, resource: string): Store | undefined {
    const s = this.store(group, resource);
    return s?.def.versions.some((v) => v.version === version) ? s : undefined;
  }

  definitions(): ResourceDefinition[] {
    return [...this.#stores.values()].map((s) => s.def);
  }

  onChange(fn: () => void): void {
    this.#listeners.push(fn);
  }

  #changed(): void {
    this.#version++;
    for (const fn of this.#listeners) fn();
  }
}
