// JSON merge patches (RFC 7386): how the schema overlay records what client-node's field tables lack.

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Applies a merge patch: objects merge key by key, null deletes, anything else replaces. */
export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const out: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}

/** The smallest merge patch turning `from` into `to`; undefined when they are equal. */
export function diffMergePatch(from: Json, to: Json): Json | undefined {
  if (isObject(from) && isObject(to)) {
    const patch: Record<string, Json> = {};
    for (const k of Object.keys(from)) if (!(k in to)) patch[k] = null;
    for (const [k, v] of Object.entries(to)) {
      const d = k in from ? diffMergePatch(from[k], v) : v;
      if (d !== undefined) patch[k] = d;
    }
    return Object.keys(patch).length === 0 ? undefined : patch;
  }
  // Arrays and scalars are replaced whole; an object replacing a non-object merges onto nothing.
  return JSON.stringify(from) === JSON.stringify(to) ? undefined : to;
}

/** Deep copy with object keys sorted, so generated files are stable. */
export function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isObject(v)) return v;
  const out: Record<string, Json> = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
  return out;
}
