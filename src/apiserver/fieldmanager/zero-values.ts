// The zero value of each built-in kind's Go type as unstructured JSON, which upstream compares a create against.
//
// `new(appsv1.Deployment)` converted to JSON still holds its non-pointer structs and its fields without
// omitempty (`spec.template.metadata.creationTimestamp: null`, `status: {}`); which paths a create "adds"
// (and so which parents FieldsV1 marks with `.`) depends on them. zero-values.json is generated from the
// k8s.io/api Go types by scripts/generate-zero-values.ts.
import { readFileSync } from 'node:fs';

let table: Record<string, unknown> | undefined;

/** The zero value of a definition (`io.k8s.api.apps.v1.Deployment`), or undefined for kinds without one. */
export function zeroValueOf(definition: string): Record<string, unknown> | undefined {
  table ??= JSON.parse(readFileSync(new URL('./zero-values.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  const v = Object.hasOwn(table, definition) ? table[definition] : undefined;
  return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
}
