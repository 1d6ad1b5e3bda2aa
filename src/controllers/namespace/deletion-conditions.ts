// The status conditions a terminating namespace carries, computed from how content deletion went, with upstream's types, reasons and messages.

export interface NamespaceCondition {
  type: string;
  status: 'True' | 'False';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** What one pass of content deletion found. */
export interface DeletionOutcome {
  discoveryError?: Error;
  /** Errors from deleting or listing content, one per resource that failed. */
  contentErrors: Error[];
  /** Remaining instances by "resource.group" (group may be empty, as upstream prints it). */
  remaining: Map<string, number>;
  /** Remaining instances by finalizer name. */
  finalizers: Map<string, number>;
}

const conditionTypes = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;

const ok: Record<(typeof conditionTypes)[number], { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  NamespaceDeletionGroupVersionParsingFailure: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  NamespaceDeletionContentFailure: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
};

/** Go's metav1.Time JSON form: RFC 3339 at second precision. */
export const metaTime = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

function failures(o: DeletionOutcome): Map<string, { reason: string; message: string }> {
  const f = new Map<string, { reason: string; message: string }>();
  if (o.discoveryError) f.set('NamespaceDeletionDiscoveryFailure', { reason: 'DiscoveryFailed', message: o.discoveryError.message });
  if (o.contentErrors.length) {
    const msgs = o.contentErrors.map((e) => e.message).sort();
    f.set('NamespaceDeletionContentFailure', {
      reason: 'ContentDeletionFailed',
      message: `Failed to delete all resource types, ${msgs.length} remaining: ${msgs.join(', ')}`,
    });
  }
  const remaining = [...o.remaining].filter(([, n]) => n > 0).map(([gr, n]) => `${gr} has ${n} resource instances`).sort();
  if (remaining.length) f.set('NamespaceContentRemaining', { reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${remaining.join(', ')}` });
  const fins = [...o.finalizers].filter(([, n]) => n > 0).map(([name, n]) => `${name} in ${n} resource instances`).sort();
  if (fins.length) f.set('NamespaceFinalizersRemaining', { reason: 'SomeFinalizerRemain', message: `Some finalizers are remaining: ${fins.join(', ')}` });
  return f;
}

/**
 * Returns the namespace's conditions updated for `outcome` (every maintained type present, True when failing,
 * False with the "ok" reason otherwise), or undefined when nothing changed.
 */
export function updatedConditions(current: NamespaceCondition[] | undefined, outcome: DeletionOutcome, now = new Date()): NamespaceCondition[] | undefined {
  const next = structuredClone(current ?? []);
  const failing = failures(outcome);
  let changed = false;
  for (const type of conditionTypes) {
    const f = failing.get(type);
    const want = { status: f ? ('True' as const) : ('False' as const), ...(f ?? ok[type]) };
    const old = next.find((c) => c.type === type);
    if (!old) {
      next.push({ type, status: want.status, lastTransitionTime: metaTime(now), reason: want.reason, message: want.message });
      changed = true;
    } else if (old.status !== want.status || old.reason !== want.reason || old.message !== want.message) {
      if (old.status !== want.status) old.lastTransitionTime = metaTime(now);
      old.status = want.status;
      old.reason = want.reason;
      old.message = want.message;
      changed = true;
    }
  }
  return changed ? next : undefined;
}
