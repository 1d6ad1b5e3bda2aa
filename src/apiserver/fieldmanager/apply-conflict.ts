// The 409 a server-side apply gets when other managers own fields it would change, worded as upstream's NewConflictError.
import { StatusError } from '../../machinery/status-error.ts';
import { parseIdentifier } from './managed-fields.ts';
import { pathToString } from './path-element.ts';
import type { Conflict } from './updater.ts';

/** `"kubectl"`, `"kube-controller-manager" using apps/v1`, `"x" with subresource "status" using v1`. */
export function printManager(id: string): string {
  const e = parseIdentifier(id);
  if (!e) return JSON.stringify(id);
  let s = JSON.stringify(e.manager ?? '');
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') {
    s += ` using ${e.apiVersion ?? ''}`;
    if (e.time) s += ` at ${new Date(e.time).toISOString().replace(/\.\d+Z$/, 'Z')}`;
  }
  return s;
}

export function conflictMessage(conflicts: readonly Conflict[]): string {
  if (conflicts.length === 1) {
    const c = conflicts[0]!;
    return `Apply failed with 1 conflict: conflict with ${printManager(c.manager)}: ${pathToString(c.path)}`;
  }
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), pathToString(c.path)]);
  const lines: string[] = [];
  for (const m of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${printManager(m)}:`);
    for (const p of byManager.get(m)!) lines.push(`- ${p}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

/** 409 Conflict with one FieldManagerConflict cause per field. */
export function applyConflictError(conflicts: readonly Conflict[]): StatusError {
  return StatusError.applyConflict(
    conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(c.manager)}`, field: pathToString(c.path) })),
    conflictMessage(conflicts),
  );
}
