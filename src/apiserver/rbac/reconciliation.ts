// Brings the bootstrap roles and bindings up to date at every start without dropping what users added (upstream's reconciliation, union mode).
import { isDeepStrictEqual } from 'node:util';
import { StatusError } from '../../machinery/status-error.ts';
import type { KObject } from '../registry/kobject.ts';
import type { RequestContext } from '../registry/request-context.ts';
import type { Store } from '../registry/store.ts';
import { autoUpdateAnnotation } from './bootstrap-policy.ts';
import { covers } from './covers.ts';
import type { PolicyRule } from './policy-rule.ts';
import type { Subject } from './rule-resolver.ts';

export type ReconcileOperation = 'none' | 'create' | 'update' | 'recreate';

export interface ReconcileResult {
  operation: ReconcileOperation;
  object: KObject;
  /** The existing object says `rbac.authorization.kubernetes.io/autoupdate: "false"`: leave it alone. */
  protected: boolean;
}

/** merge(expected, existing): existing values win. */
function mergeMaps(expected: Record<string, string> | undefined, existing: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!expected && !existing) return undefined;
  return { ...(expected ?? {}), ...(existing ?? {}) };
}

const emptyToUndefined = (m: Record<string, string> | undefined) => (m && Object.keys(m).length ? m : undefined);

function mergeMetadata(result: KObject, expected: KObject, existing: KObject): boolean {
  let changed = false;
  const annotations = mergeMaps(expected.metadata.annotations, existing.metadata.annotations);
  if (!isDeepStrictEqual(emptyToUndefined(annotations), emptyToUndefined(existing.metadata.annotations))) changed = true;
  if (annotations) result.metadata.annotations = annotations;
  const labels = mergeMaps(expected.metadata.labels, existing.metadata.labels);
  if (!isDeepStrictEqual(emptyToUndefined(labels), emptyToUndefined(existing.metadata.labels))) changed = true;
  if (labels) result.metadata.labels = labels;
  return changed;
}

function selectorCovered(existing: unknown[], selector: unknown): boolean {
  return existing.some((s) => isDeepStrictEqual(s, selector));
}

/** computeReconciledRole with removeExtraPermissions=false: add missing rules and aggregation selectors. */
export function reconcileClusterRole(existing: KObject | undefined, expected: KObject): ReconcileResult {
  if (!existing) return { operation: 'create', object: structuredClone(expected), protected: false };
  const result = structuredClone(existing);
  const isProtected = existing.metadata.annotations?.[autoUpdateAnnotation] === 'false';
  let operation: ReconcileOperation = mergeMetadata(result, expected, existing) ? 'update' : 'none';
  const missing = covers((existing.rules ?? []) as PolicyRule[], (expected.rules ?? []) as PolicyRule[]).uncovered;
  if (missing.length > 0) {
    result.rules = [...(result.rules ?? []), ...missing];
    operation = 'update';
  }
  const expectedSelectors: unknown[] = expected.aggregationRule?.clusterRoleSelectors ?? [];
  const existingSelectors: unknown[] = existing.aggregationRule?.clusterRoleSelectors ?? [];
  const missingSelectors = expectedSelectors.filter((s) => !selectorCovered(existingSelectors, s));
  if (!expected.aggregationRule && existing.aggregationRule) {
    delete result.aggregationRule;
    operation = 'update';
  } else if (missingSelectors.length > 0) {
    result.aggregationRule = { ...(result.aggregationRule ?? {}), clusterRoleSelectors: [...existingSelectors, ...missingSelectors] };
    operation = 'update';
  }
  return { operation, object: result, protected: isProtected };
}

const sameSubject = (a: Subject, b: Subject) =>
  a.kind === b.kind && (a.apiGroup ?? '') === (b.apiGroup ?? '') && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');

/** computeReconciledRoleBinding with removeExtraSubjects=false: a changed roleRef recreates, missing subjects are added. */
export function reconcileClusterRoleBinding(existing: KObject | undefined, expected: KObject): ReconcileResult {
  if (!existing) return { operation: 'create', object: structuredClone(expected), protected: false };
  const isProtected = existing.metadata.annotations?.[autoUpdateAnnotation] === 'false';
  if (!isDeepStrictEqual({ ...expected.roleRef }, { apiGroup: '', ...existing.roleRef })) {
    return { operation: 'recreate', object: structuredClone(expected), protected: isProtected };
  }
  const result = structuredClone(existing);
  let operation: ReconcileOperation = mergeMetadata(result, expected, existing) ? 'update' : 'none';
  const have: Subject[] = existing.subjects ?? [];
  const missing = ((expected.subjects ?? []) as Subject[]).filter((s) => !have.some((h) => sameSubject(h, s)));
  if (missing.length > 0) {
    result.subjects = [...have, ...missing];
    operation = 'update';
  }
  return { operation, object: result, protected: isProtected };
}

async function getOrUndefined(store: Store, name: string): Promise<KObject | undefined> {
  try {
    return await store.get(undefined, name);
  } catch (e) {
    if (e instanceof StatusError && e.code === 404) return undefined;
    throw e;
  }
}

/** Applies one reconciliation to the store; a concurrent write (another start) is simply retried. */
export async function reconcileInto(
  store: Store,
  expected: KObject,
  compute: (existing: KObject | undefined, expected: KObject) => ReconcileResult,
  ctx: RequestContext,
): Promise<ReconcileOperation> {
  const name = expected.metadata.name!;
  for (let attempt = 0; ; attempt++) {
    const existing = await getOrUndefined(store, name);
    const r = compute(existing, expected);
    if (r.operation === 'none' || (r.protected && r.operation !== 'create')) return 'none';
    try {
      if (r.operation === 'create') {
        await store.create(undefined, r.object, ctx);
      } else if (r.operation === 'recreate') {
        await store.delete(undefined, name, { preconditions: { uid: existing!.metadata.uid } }, ctx);
        await store.create(undefined, r.object, ctx);
      } else {
        await store.update(undefined, name, r.object, ctx);
      }
      return r.operation;
    } catch (e) {
      const retry = e instanceof StatusError && (e.code === 409 || e.code === 404);
      if (!retry || attempt >= 5) throw e;
    }
  }
}
