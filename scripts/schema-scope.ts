// Which upstream definition packages dabba serves, and the closure of definitions they reference.

/** Definition-name prefixes (package plus trailing dot) of the group-versions dabba serves. */
export const SERVED_PACKAGES: readonly string[] = [
  'io.k8s.api.core.v1.',
  'io.k8s.api.apps.v1.',
  'io.k8s.api.batch.v1.',
  'io.k8s.api.autoscaling.v1.',
  'io.k8s.api.autoscaling.v2.',
  'io.k8s.api.networking.v1.',
  'io.k8s.api.discovery.v1.',
  'io.k8s.api.events.v1.',
  'io.k8s.api.coordination.v1.',
  'io.k8s.api.policy.v1.',
  'io.k8s.api.rbac.v1.',
  'io.k8s.api.storage.v1.',
  'io.k8s.api.scheduling.v1.',
  'io.k8s.api.node.v1.',
  'io.k8s.api.authentication.v1.',
  'io.k8s.api.authorization.v1.',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.',
  'io.k8s.apimachinery.pkg.apis.meta.v1.',
];

export const REF_PREFIX = '#/components/schemas/';

/** Every `$ref` target named anywhere inside a schema. */
export function refsOf(schema: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(schema)) {
    for (const s of schema) refsOf(s, out);
  } else if (schema !== null && typeof schema === 'object') {
    for (const [k, v] of Object.entries(schema)) {
      if (k === '$ref' && typeof v === 'string') out.add(v.slice(v.lastIndexOf('/') + 1));
      else refsOf(v, out);
    }
  }
  return out;
}

/** Names of the served definitions plus everything they reference, transitively. */
export function servedClosure(definitions: Record<string, unknown>): string[] {
  const seen = new Set<string>();
  const stack = Object.keys(definitions).filter((n) => SERVED_PACKAGES.some((p) => n.startsWith(p)));
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    const def = definitions[name];
    if (def === undefined) throw new Error(`definition ${name} is referenced but missing`);
    seen.add(name);
    for (const r of refsOf(def)) if (!seen.has(r)) stack.push(r);
  }
  return [...seen].sort();
}
