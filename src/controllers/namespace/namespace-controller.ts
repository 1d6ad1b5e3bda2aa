// The namespace controller: empties a terminating namespace of all its content, then removes the `kubernetes` finalizer so it goes away.
import type { KObject } from '../../apiserver/registry/kobject.ts';
import type { ResourceRef } from '../../client/client.ts';
import type { Logger } from '../../server/logger.ts';
import { isConflict, isNotFound } from '../api-errors.ts';
import { Controller, errorMessage, type ControllerClient, type ReconcileResult, type SharedInformer } from '../controller.ts';
import { ContentRemainsError, NamespaceContentDeleter } from './content-deleter.ts';
import { updatedConditions } from './deletion-conditions.ts';

export const namespacesRef: ResourceRef = { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false };

/** The spec.finalizers token this controller owns. */
export const kubernetesFinalizer = 'kubernetes';

export interface NamespaceControllerOptions {
  client: ControllerClient;
  namespaces: SharedInformer;
  log: Logger;
  /** How soon to look again while content remains (upstream waits estimate/2+1 s; one machine can poll faster). */
  requeueMs?: number;
  workers?: number;
  now?: () => number;
}

export class NamespaceController {
  readonly controller: Controller;
  readonly #client: ControllerClient;
  readonly #log: Logger;
  readonly #deleter: NamespaceContentDeleter;
  readonly #requeueMs: number;

  constructor(o: NamespaceControllerOptions) {
    this.#client = o.client;
    this.#log = o.log;
    this.#deleter = new NamespaceContentDeleter(o.client, o.now);
    this.#requeueMs = o.requeueMs ?? 1000;
    this.controller = new Controller('namespace', (k) => this.reconcile(k), { log: o.log, workers: o.workers ?? 2 });
    const enqueue = (ns: KObject) => {
      if (ns.metadata.deletionTimestamp) this.controller.enqueue(ns.metadata.name!);
    };
    o.namespaces.on({ add: enqueue, update: enqueue });
  }

  async reconcile(name: string): Promise<ReconcileResult | void> {
    // Several actors edit a terminating namespace: work from the live object, not the cache.
    let ns: KObject;
    try {
      ns = await this.#client.get(namespacesRef, undefined, name);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    if (!ns.metadata.deletionTimestamp) return;
    ns = await this.#retryOnConflict(ns, (cur) => this.#ensureTerminating(cur));
    if (!ns.metadata.deletionTimestamp) return;
    if (!(ns.spec?.finalizers ?? []).includes(kubernetesFinalizer)) return;

    const content = await this.#deleter.deleteAllContent(name, ns.metadata.deletionTimestamp);
    try {
      ns = await this.#retryOnConflict(ns, async (cur) => {
        const conditions = updatedConditions(cur.status?.conditions, content);
        return conditions ? this.#client.update(namespacesRef, { ...cur, status: { ...cur.status, conditions } }, 'status') : cur;
      });
    } catch (e) {
      // As upstream, a failed condition update does not stop the deletion.
      this.#log.error('could not update namespace status conditions', { namespace: name, error: errorMessage(e) });
    }
    if (!ns.metadata.deletionTimestamp) return;
    const failed = content.contentErrors.filter((e) => !(e instanceof ContentRemainsError));
    if (content.discoveryError) failed.push(content.discoveryError);
    if (failed.length) throw new AggregateError(failed, failed.map((e) => e.message).join('; '));
    if (content.remaining.size) {
      this.#log.debug('namespace content remains', { namespace: name, estimate: content.estimate, remaining: Object.fromEntries(content.remaining) });
      return { requeueAfter: this.#requeueMs };
    }
    await this.#retryOnConflict(ns, (cur) => this.#finalize(cur));
    this.#log.debug('namespace finalized', { namespace: name });
  }

  async #ensureTerminating(ns: KObject): Promise<KObject> {
    if (!ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') return ns;
    return this.#client.update(namespacesRef, { ...ns, status: { ...ns.status, phase: 'Terminating' } }, 'status');
  }

  async #finalize(ns: KObject): Promise<KObject> {
    const finalizers = [...new Set((ns.spec?.finalizers ?? []) as string[])].filter((f) => f !== kubernetesFinalizer).sort();
    if (finalizers.length === (ns.spec?.finalizers ?? []).length) return ns;
    return this.#client.update(namespacesRef, { ...ns, spec: { ...ns.spec, finalizers } }, 'finalize');
  }

  /** Runs `fn`, re-reading the namespace after each conflict; a namespace gone meanwhile counts as done. */
  async #retryOnConflict(ns: KObject, fn: (ns: KObject) => Promise<KObject>): Promise<KObject> {
    let cur = ns;
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn(cur);
      } catch (e) {
        if (isNotFound(e)) return { ...cur, metadata: { ...cur.metadata, deletionTimestamp: undefined } };
        if (!isConflict(e) || attempt >= 5) throw e;
      }
      const latest = await this.#client.get(namespacesRef, undefined, cur.metadata.name!);
      if (latest.metadata.uid !== cur.metadata.uid) throw new Error('namespace uid has changed across retries');
      cur = latest;
    }
  }
}
