// The garbage collector: deletes objects whose owners are gone, runs Foreground deletion (dependents first) and Orphan deletion (dependents released).
import type { KObject, OwnerReference } from '../../apiserver/registry/kobject.ts';
import type { ResourceRef } from '../../client/client.ts';
import type { Logger } from '../../server/logger.ts';
import { isNotFound } from '../api-errors.ts';
import { Controller, errorMessage, type ControllerClient, type ReconcileResult, type SharedInformer } from '../controller.ts';
import { discoverPreferredResources, hasVerbs, refKey, ResourceMapper, type DiscoveredResource } from '../discovery.ts';
import { DependencyGraph, describe, foregroundFinalizer, orphanFinalizer, type GraphNode, type GraphWork } from './graph.ts';
import { GCOperations, type PropagationPolicy } from './operations.ts';

/** Resources the collector never watches, as upstream's DefaultIgnoredResources: events are many and own nothing. */
const ignoredResources = new Set(['/events', 'events.k8s.io/events']);

/** Which discovered resources the collector watches: everything it can list, watch and delete. */
export function collectableResources(resources: DiscoveredResource[]): DiscoveredResource[] {
  return resources.filter((r) => hasVerbs(r, 'delete', 'list', 'watch') && !ignoredResources.has(`${r.group}/${r.resource}`));
}

export interface GarbageCollectorOptions {
  client: ControllerClient;
  log: Logger;
  /** The shared informer for a resource, created on demand. */
  informerFor(ref: ResourceRef): SharedInformer;
  /** Starts informers created since the last call (after a re-discovery found new resources). */
  startInformers?(): Promise<void>;
  /** How often to re-run discovery to pick up new resources; 0 disables (upstream: 30 s). */
  resyncMs?: number;
  /** How soon to look again at a dependent whose existing owner is of a kind the collector does not watch. */
  unwatchedOwnerPollMs?: number;
  /** How many entries the absent-owner cache keeps (upstream: 500). */
  absentOwnerCacheSize?: number;
}

/** A cluster-scoped object naming a namespaced owner: invalid, and retrying would not help. */
class NamespacedOwnerOfClusterScopedObjectError extends Error {
  readonly code = 'CONTROLLER_GC_NAMESPACED_OWNER_OF_CLUSTER_SCOPED';
}

class RestMappingError extends Error {
  readonly code = 'CONTROLLER_GC_REST_MAPPING';
}

const hasFinalizer = (o: KObject, f: string) => (o.metadata.finalizers ?? []).includes(f);

export class GarbageCollector {
  readonly graph = new DependencyGraph();
  readonly attemptToDelete: Controller;
  readonly attemptToOrphan: Controller;
  readonly #o: GarbageCollectorOptions;
  readonly #ops: GCOperations;
  readonly #log: Logger;
  readonly #watched = new Map<string, DiscoveredResource>();
  /** Owners known to be gone, as `uid|namespace` ("" for cluster-scoped); uids are never reused. */
  readonly #absentOwners = new Set<string>();
  #mapper = new ResourceMapper([]);
  #resync: NodeJS.Timeout | undefined;

  constructor(o: GarbageCollectorOptions) {
    this.#o = o;
    this.#log = o.log;
    this.#ops = new GCOperations(o.client);
    this.attemptToDelete = new Controller('garbage-collector-delete', (uid) => this.attemptToDeleteItem(uid), { log: o.log, workers: 4 });
    this.attemptToOrphan = new Controller('garbage-collector-orphan', (uid) => this.attemptToOrphanItem(uid), { log: o.log, workers: 2 });
  }

  /** Registers informers for every collectable resource in `resources` (a discovery result). */
  watchResources(resources: DiscoveredResource[]): void {
    this.#mapper = new ResourceMapper(resources);
    for (const r of collectableResources(resources)) {
      const k = refKey(r);
      if (this.#watched.has(k)) continue;
      this.#watched.set(k, r);
      const ref: ResourceRef = { group: r.group, version: r.version, resource: r.resource, kind: r.kind, namespaced: r.namespaced };
      const inf = this.#o.informerFor(ref);
      inf.on({
        add: (obj) => this.#apply(this.graph.upsert(ref, obj)),
        update: (obj) => this.#apply(this.graph.upsert(ref, obj)),
        delete: (obj) => this.#apply(this.graph.remove(obj)),
      });
    }
  }

  run(): void {
    this.attemptToDelete.run();
    this.attemptToOrphan.run();
    const every = this.#o.resyncMs ?? 30_000;
    if (every > 0) {
      this.#resync = setInterval(() => void this.#rediscover(), every);
      this.#resync.unref();
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.#resync);
    await Promise.all([this.attemptToDelete.stop(), this.attemptToOrphan.stop()]);
  }

  async #rediscover(): Promise<void> {
    try {
      const { resources } = await discoverPreferredResources(this.#o.client);
      const before = this.#watched.size;
      this.watchResources(resources);
      if (this.#watched.size !== before) await this.#o.startInformers?.();
    } catch (e) {
      this.#log.error('garbage collector discovery failed', { error: errorMessage(e) });
    }
  }

  #apply(work: GraphWork): void {
    for (const uid of work.attemptToDelete) this.attemptToDelete.enqueue(uid);
    for (const uid of work.attemptToOrphan) this.attemptToOrphan.enqueue(uid);
  }

  /**
   * Looks at one object: deletes it when every owner is gone (or waiting for its dependents to go), drops references
   * to missing owners when another owner still holds it, and finishes its own Foreground deletion when no blocking
   * dependent is left.
   */
  async attemptToDeleteItem(uid: string): Promise<ReconcileResult | void> {
    const item = this.graph.get(uid);
    if (!item) return;
    // "Being deleted" is a one-way trip: wait for the final deletion, then its dependents get processed.
    if (item.beingDeleted && !item.deletingDependents) return;
    const latest = await this.#ops.getLive(item);
    if (!latest) return;
    if (item.deletingDependents) return this.#processDeletingDependents(item);
    const owners = latest.metadata.ownerReferences ?? [];
    if (!owners.length) return;

    let classified: Awaited<ReturnType<GarbageCollector['classify']>>;
    try {
      classified = await this.classify(item, owners);
    } catch (e) {
      if (e instanceof NamespacedOwnerOfClusterScopedObjectError) {
        this.#log.info('cluster-scoped object refers to a namespaced owner, ignoring', { item: describe(item) });
        return;
      }
      throw e;
    }
    const { solid, dangling, waiting } = classified;
    if (solid.length) {
      if (dangling.length || waiting.length) {
        // References to owners waiting on their dependents must go, or those owners would wait forever.
        const drop = new Set([...dangling, ...waiting].map((o) => o.uid));
        this.#log.debug('removing dangling owner references', { item: describe(item), owners: [...drop] });
        await this.#ops.editOwnerReferences(item, (refs) => refs.filter((r) => !drop.has(r.uid)));
      }
      // An owner of a kind nobody watches can vanish unseen: look again later.
      if (solid.some((o) => !this.graph.get(o.uid))) return { requeueAfter: this.#o.unwatchedOwnerPollMs ?? 30_000 };
      return;
    }
    if (waiting.length && this.graph.dependents(uid).length) {
      if (this.graph.dependents(uid).some((d) => d.deletingDependents)) {
        // Break a possible cycle of Foreground deletions by not blocking the owners.
        this.#log.debug('unblocking owner references to avoid a deletion cycle', { item: describe(item) });
        await this.#ops.editOwnerReferences(item, (refs) => refs.map((r) => (r.blockOwnerDeletion ? { ...r, blockOwnerDeletion: false } : r)));
      }
      this.#log.debug('deleting dependent in Foreground', { item: describe(item) });
      await this.#ops.deleteObject(item, latest, 'Foreground');
      return;
    }
    const policy: PropagationPolicy = hasFinalizer(latest, orphanFinalizer)
      ? 'Orphan'
      : hasFinalizer(latest, foregroundFinalizer)
        ? 'Foreground'
        : 'Background';
    this.#log.debug('deleting object whose owners are gone', { item: describe(item), propagationPolicy: policy });
    await this.#ops.deleteObject(item, latest, policy);
  }

  async #processDeletingDependents(item: GraphNode): Promise<void> {
    const blocking = this.graph.blockingDependents(item.uid);
    if (!blocking.length) {
      this.#log.debug('removing foregroundDeletion finalizer', { item: describe(item) });
      await this.#ops.removeFinalizer(item, foregroundFinalizer);
      return;
    }
    for (const d of blocking) if (!d.deletingDependents) this.attemptToDelete.enqueue(d.uid);
  }

  /** Sorts references into owners that exist, owners gone (dangling), and owners that exist but wait for their dependents. */
  async classify(item: GraphNode, refs: OwnerReference[]): Promise<{ solid: OwnerReference[]; dangling: OwnerReference[]; waiting: OwnerReference[] }> {
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of refs) {
      const owner = await this.#liveOwner(item, ref);
      if (!owner) dangling.push(ref);
      else if (owner.metadata.deletionTimestamp && hasFinalizer(owner, foregroundFinalizer)) waiting.push(ref);
      else solid.push(ref);
    }
    return { solid, dangling, waiting };
  }

  /** The owner as the API server has it now, or undefined when it does not exist (by name in the right scope, and uid). */
  async #liveOwner(item: GraphNode, ref: OwnerReference): Promise<KObject | undefined> {
    if (this.#absentOwners.has(`${ref.uid}|`) || this.#absentOwners.has(`${ref.uid}|${item.namespace ?? ''}`)) return undefined;
    const r = this.#mapper.resourceFor(ref.apiVersion, ref.kind);
    if (!r) throw new RestMappingError(`unable to map ${ref.apiVersion}, Kind=${ref.kind} to a resource`);
    if (!item.namespace && r.namespaced) {
      throw new NamespacedOwnerOfClusterScopedObjectError(`cluster-scoped ${describe(item)} refers to namespaced owner ${ref.kind} ${ref.name}`);
    }
    // A namespaced owner can only be in its dependent's namespace: ownerReferences carry no namespace.
    const namespace = r.namespaced ? item.namespace : undefined;
    const absentKey = `${ref.uid}|${namespace ?? ''}`;
    let owner: KObject;
    try {
      owner = await this.#o.client.get(r, namespace, ref.name);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      this.#rememberAbsent(absentKey);
      return undefined;
    }
    if (owner.metadata.uid !== ref.uid) {
      this.#rememberAbsent(absentKey);
      return undefined;
    }
    return owner;
  }

  #rememberAbsent(key: string): void {
    const max = this.#o.absentOwnerCacheSize ?? 500;
    if (this.#absentOwners.size >= max) this.#absentOwners.delete(this.#absentOwners.values().next().value!);
    this.#absentOwners.add(key);
  }

  /** Releases an Orphan-deleted owner's dependents (drops their references to it), then lets the owner go. */
  async attemptToOrphanItem(uid: string): Promise<void> {
    const owner = this.graph.get(uid);
    if (!owner) return;
    const dependents = this.graph.dependents(uid);
    const failures: Error[] = [];
    await Promise.all(
      dependents.map(async (d) => {
        try {
          await this.#ops.editOwnerReferences(d, (refs) => refs.filter((r) => r.uid !== uid));
        } catch (e) {
          failures.push(new Error(`orphaning ${describe(d)} failed, ${errorMessage(e)}`));
        }
      }),
    );
    if (failures.length) throw new Error(`failed to orphan dependents of owner ${describe(owner)}, got errors: ${failures.map((e) => e.message).join(', ')}`);
    this.#log.debug('removing orphan finalizer', { item: describe(owner), dependents: dependents.length });
    await this.#ops.removeFinalizer(owner, orphanFinalizer);
  }
}
