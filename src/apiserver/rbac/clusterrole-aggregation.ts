// Fills the rules of cluster roles with an aggregationRule from the labelled roles they select, as upstream's clusterrole-aggregation controller.
import { StatusError } from '../../machinery/status-error.ts';
import { selectorFromLabelSelector, type LabelSelector } from '../../machinery/labels.ts';
import type { KObject } from '../registry/kobject.ts';
import type { RequestContext } from '../registry/request-context.ts';
import type { Store } from '../registry/store.ts';
import { copyRule, sameRule, type PolicyRule } from './policy-rule.ts';

const byName = (a: KObject, b: KObject) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0);

/** The rules `role` aggregates: per selector, matching roles by name, each rule once. Undefined when it aggregates nothing. */
export function aggregatedRules(role: KObject, all: Iterable<KObject>): PolicyRule[] | undefined {
  const selectors: LabelSelector[] | undefined = role.aggregationRule?.clusterRoleSelectors;
  if (!role.aggregationRule) return undefined;
  const roles = [...all];
  const rules: PolicyRule[] = [];
  for (const ls of selectors ?? []) {
    const selector = selectorFromLabelSelector(ls);
    const matching = roles.filter((r) => selector.matches(r.metadata.labels)).sort(byName);
    for (const r of matching) {
      if (r.metadata.name === role.metadata.name) continue;
      for (const rule of (r.rules ?? []) as PolicyRule[]) {
        if (!rules.some((have) => sameRule(have, rule))) rules.push(copyRule(rule));
      }
    }
  }
  return rules;
}

function sameRules(a: PolicyRule[] | undefined, b: PolicyRule[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((r, i) => sameRule(r, y[i]));
}

export interface ClusterRoleSource {
  clusterRoles(): Iterable<KObject>;
}

/** Level-based: any cluster role change marks every aggregated role for a resync; writes only what differs. */
export class ClusterRoleAggregator {
  readonly #source: ClusterRoleSource;
  readonly #store: Store;
  readonly #ctx: () => RequestContext;
  readonly #log: (msg: string, fields?: Record<string, unknown>) => void;
  #dirty = false;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(source: ClusterRoleSource, store: Store, ctx: () => RequestContext, log: (msg: string, fields?: Record<string, unknown>) => void) {
    this.#source = source;
    this.#store = store;
    this.#ctx = ctx;
    this.#log = log;
  }

  stop(): void {
    this.#stopped = true;
  }

  /** Marks the aggregated roles for a resync; resolves when the work then queued is done. */
  enqueue(): Promise<void> {
    this.#dirty = true;
    this.#running ??= this.#loop().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #loop(): Promise<void> {
    while (this.#dirty && !this.#stopped) {
      this.#dirty = false;
      for (const role of [...this.#source.clusterRoles()]) {
        if (!role.aggregationRule) continue;
        try {
          await this.#sync(role);
        } catch (e) {
          if (e instanceof StatusError && (e.code === 409 || e.code === 404)) {
            this.#dirty = true;
            continue;
          }
          this.#log('cluster role aggregation failed', { clusterRole: role.metadata.name, error: String(e) });
        }
      }
    }
  }

  async #sync(role: KObject): Promise<void> {
    let rules: PolicyRule[] | undefined;
    try {
      rules = aggregatedRules(role, this.#source.clusterRoles());
    } catch (e) {
      this.#log('cluster role aggregation selector is invalid', { clusterRole: role.metadata.name, error: String(e) });
      return;
    }
    if (rules === undefined || sameRules(rules, role.rules)) return;
    const next = structuredClone(role);
    next.rules = rules;
    await this.#store.update(undefined, role.metadata.name!, next, { ...this.#ctx(), fieldManager: 'clusterrole-aggregation-controller' });
  }
}
