// Deletes every namespaced object in a terminating namespace and reports what remains, as upstream's namespacedResourcesDeleter.
import type { KObject } from '../../apiserver/registry/kobject.ts';
import { resourcePath } from '../../client/client.ts';
import { isMethodNotSupported, isNotFound } from '../api-errors.ts';
import { errorMessage, type ControllerClient } from '../controller.ts';
import { discoverPreferredResources, hasVerbs, refKey, type DiscoveredResource } from '../discovery.ts';
import type { DeletionOutcome } from './deletion-conditions.ts';

/** Seconds to allow for finalizers when items with finalizers remain, as upstream's finalizerEstimateSeconds. */
export const finalizerEstimateSeconds = 15;

export interface ContentDeletion extends DeletionOutcome {
  /** Seconds before the remaining content is expected to be gone; 0 with nothing remaining means done. */
  estimate: number;
}

/** Items without finalizers are still there after deletion: a condition to report and wait out, not a failed call. */
export class ContentRemainsError extends Error {
  readonly code = 'CONTROLLER_NAMESPACE_CONTENT_REMAINS';
}

const background = { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' };

// A resource listed by discovery that answers 404/405 to a verb does not support it (upstream issue 22413).
const unsupported = (e: unknown) => isMethodNotSupported(e) || isNotFound(e);

const gvrString = (r: DiscoveredResource) => `{${r.group} ${r.version} ${r.resource}}`;

interface ResourceOutcome {
  estimate: number;
  remaining: number;
  finalizers: Map<string, number>;
  error?: Error;
}

export class NamespaceContentDeleter {
  readonly #client: ControllerClient;
  /** `verb group/version/resource` pairs the server refused, so they are not tried again. */
  readonly #notSupported = new Set<string>();
  readonly #now: () => number;

  constructor(client: ControllerClient, now: () => number = Date.now) {
    this.#client = client;
    this.#now = now;
  }

  async deleteAllContent(namespace: string, deletedAt: string | undefined): Promise<ContentDeletion> {
    const out: ContentDeletion = { estimate: 0, contentErrors: [], remaining: new Map(), finalizers: new Map() };
    let resources: DiscoveredResource[] = [];
    try {
      const d = await discoverPreferredResources(this.#client);
      resources = d.resources;
      if (d.failedGroups.size) {
        const groups = [...d.failedGroups].map(([gv, e]) => `${gv}: ${e.message}`);
        out.discoveryError = new Error(`Discovery failed for some groups, ${d.failedGroups.size} failing: unable to retrieve the complete list of server APIs: ${groups.join(', ')}`);
      }
    } catch (e) {
      // Discovery errors are not fatal upstream either: delete what can be found.
      out.discoveryError = e as Error;
    }
    const deletable = resources.filter((r) => r.namespaced && hasVerbs(r, 'delete'));
    const results = await Promise.all(deletable.map((r) => this.#deleteResource(r, namespace, deletedAt)));
    deletable.forEach((r, i) => {
      const res = results[i]!;
      if (res.error) out.contentErrors.push(res.error);
      out.estimate = Math.max(out.estimate, res.estimate);
      if (res.remaining > 0) {
        out.remaining.set(`${r.resource}.${r.group}`, res.remaining);
        for (const [f, n] of res.finalizers) out.finalizers.set(f, (out.finalizers.get(f) ?? 0) + n);
      }
    });
    return out;
  }

  async #deleteResource(r: DiscoveredResource, namespace: string, deletedAt: string | undefined): Promise<ResourceOutcome> {
    const none = { estimate: 0, remaining: 0, finalizers: new Map<string, number>() };
    let estimate = 0;
    try {
      estimate = await this.#estimate(r, namespace, deletedAt);
      if (!(await this.#deleteCollection(r, namespace))) await this.#deleteEach(r, namespace);
      const items = await this.#list(r, namespace);
      if (!items || !items.length) return none;
      const finalizers = new Map<string, number>();
      for (const item of items) for (const f of item.metadata.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
      if (estimate) return { estimate, remaining: items.length, finalizers };
      if (finalizers.size) return { estimate: finalizerEstimateSeconds, remaining: items.length, finalizers };
      return {
        estimate,
        remaining: items.length,
        finalizers,
        error: new ContentRemainsError(`unexpected items still remain in namespace: ${namespace} for gvr: ${gvrString(r)}`),
      };
    } catch (e) {
      return { ...none, estimate, error: e instanceof Error ? e : new Error(errorMessage(e)) };
    }
  }

  #supported(verb: string, r: DiscoveredResource): boolean {
    return r.verbs.includes(verb) && !this.#notSupported.has(`${verb} ${refKey(r)}`);
  }

  async #deleteCollection(r: DiscoveredResource, namespace: string): Promise<boolean> {
    if (!this.#supported('deletecollection', r)) return false;
    try {
      await this.#client.request('DELETE', resourcePath(r, namespace), background);
      return true;
    } catch (e) {
      if (unsupported(e)) {
        this.#notSupported.add(`deletecollection ${refKey(r)}`);
        return false;
      }
      throw e;
    }
  }

  async #list(r: DiscoveredResource, namespace: string): Promise<KObject[] | undefined> {
    if (!this.#supported('list', r)) return undefined;
    try {
      return (await this.#client.list(r, namespace)).items;
    } catch (e) {
      if (unsupported(e)) {
        this.#notSupported.add(`list ${refKey(r)}`);
        return undefined;
      }
      throw e;
    }
  }

  async #deleteEach(r: DiscoveredResource, namespace: string): Promise<void> {
    const items = await this.#list(r, namespace);
    for (const item of items ?? []) {
      try {
        await this.#client.delete(r, namespace, item.metadata.name!, { propagationPolicy: 'Background' });
      } catch (e) {
        if (!unsupported(e)) throw e;
      }
    }
  }

  /** Pods get their longest termination grace period, counted from the namespace's deletion; other resources need none. */
  async #estimate(r: DiscoveredResource, namespace: string, deletedAt: string | undefined): Promise<number> {
    if (r.group !== '' || r.resource !== 'pods') return 0;
    const pods = (await this.#client.list(r, namespace)).items;
    let estimate = 0;
    for (const p of pods) {
      if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
      const grace = p.spec?.terminationGracePeriodSeconds;
      if (typeof grace === 'number' && grace > estimate) estimate = grace;
    }
    const elapsed = deletedAt ? (this.#now() - Date.parse(deletedAt)) / 1000 : Infinity;
    return elapsed >= estimate ? 0 : estimate;
  }
}
