// dabba's hints for unknown fields: the nearest real field, or where a misplaced field belongs, read off the schema.
//
// Upstream only says `unknown field "spec.trafficPolicy.circuitBreaker"`; the hint adds what to write instead.
// Three kinds of hint, tried in order for each unknown field:
//   1. a known confusion (circuitBreaker → outlierDetection, httpCookieName → httpCookie.name, …);
//   2. a sibling with a near-identical name (typos, plural/singular, snake_case);
//   3. a field of that exact name elsewhere nearby: the field is misplaced (connectionPool.http.interval →
//      outlierDetection.interval). Fields misplaced together are placed together.

/** An OpenAPI v3 schema as the schema providers publish it (component `$ref`s or inline). */
export interface HintSchema {
  $ref?: string;
  allOf?: HintSchema[];
  properties?: Record<string, HintSchema>;
  items?: HintSchema;
  additionalProperties?: HintSchema | boolean;
  [k: string]: unknown;
}

/** What a schema provider's `openapi(version)` returns: the kind's own schema name and every schema it uses. */
export interface SchemaDocument {
  name: string;
  schemas: Record<string, unknown>;
}

type Segment = string | number;

interface Confusion {
  /** The unknown field. */
  field: string;
  /** Applies where the parent declares this field. */
  beside: string;
  /** Suggested replacement, relative to the parent (e.g. `httpCookie.name`). */
  use?: string;
  /** A full sentence instead, given the parent's path. */
  explain?: (parent: string) => string;
}

/** Mistakes common enough to deserve more than a name. */
const confusions: Confusion[] = [
  {
    field: 'circuitBreaker',
    beside: 'outlierDetection',
    explain: (p) =>
      `${p}.circuitBreaker is not an Istio field: Istio's circuit breaking is ${p}.outlierDetection ` +
      `(ejecting failing hosts) together with ${p}.connectionPool (connection and request limits)`,
  },
  { field: 'httpCookieName', beside: 'httpCookie', use: 'httpCookie.name' },
  { field: 'cookieName', beside: 'httpCookie', use: 'httpCookie.name' },
  { field: 'ttl', beside: 'httpCookie', use: 'httpCookie.ttl' },
  { field: 'headerName', beside: 'httpHeaderName', use: 'httpHeaderName' },
  { field: 'sourceIp', beside: 'useSourceIp', use: 'useSourceIp' },
  { field: 'redirect', beside: 'tls', use: 'tls.httpsRedirect' },
  { field: 'httpsRedirect', beside: 'tls', use: 'tls.httpsRedirect' },
  {
    field: 'targetCPUUtilizationPercentage',
    beside: 'metrics',
    explain: (p) =>
      `${p}.targetCPUUtilizationPercentage exists only in autoscaling/v1; in autoscaling/v2 write ${p}.metrics: ` +
      `[{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: N}}}]`,
  },
];

const unknownPath = /[^.[\]]+|\[(\d+)\]/g;

/** `spec.servers[1].redirect` → ['spec', 'servers', 1, 'redirect']. */
function segmentsOf(path: string): Segment[] {
  const out: Segment[] = [];
  for (const m of path.matchAll(unknownPath)) out.push(m[1] !== undefined ? Number(m[1]) : m[0]);
  return out;
}

const render = (segs: Segment[]) => segs.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');

class SchemaView {
  readonly #schemas: Record<string, unknown>;
  readonly root: HintSchema | undefined;

  constructor(doc: SchemaDocument) {
    this.#schemas = doc.schemas;
    this.root = this.resolve(doc.schemas[doc.name] as HintSchema | undefined);
  }

  /** Follows `$ref`s and single-element `allOf` wrappers. */
  resolve(s: HintSchema | undefined, depth = 0): HintSchema | undefined {
    if (!s || depth > 8) return s;
    if (typeof s.$ref === 'string') return this.resolve(this.#schemas[s.$ref.replace('#/components/schemas/', '')] as HintSchema, depth + 1);
    if (s.allOf?.length === 1 && !s.properties) return this.resolve(s.allOf[0], depth + 1);
    return s;
  }

  properties(s: HintSchema | undefined): Record<string, HintSchema> {
    return this.resolve(s)?.properties ?? {};
  }

  /** The schema of a child: a property, an additionalProperties value, or a list item. */
  child(s: HintSchema | undefined, seg: Segment): HintSchema | undefined {
    const r = this.resolve(s);
    if (!r) return undefined;
    if (typeof seg === 'number') return this.resolve(r.items);
    if (r.properties && Object.hasOwn(r.properties, seg)) return this.resolve(r.properties[seg]);
    if (r.additionalProperties && typeof r.additionalProperties === 'object') return this.resolve(r.additionalProperties);
    return undefined;
  }

  at(segs: Segment[]): HintSchema | undefined {
    let s = this.root;
    for (const seg of segs) s = this.child(s, seg);
    return s;
  }

  /** Object schemas below `s` (itself included), breadth first, with the steps that lead to them. */
  *objectsBelow(s: HintSchema | undefined, maxDepth: number): Generator<{ steps: string[]; schema: HintSchema }> {
    const queue: { steps: string[]; schema: HintSchema | undefined }[] = [{ steps: [], schema: s }];
    const seen = new Set<HintSchema>();
    while (queue.length) {
      const { steps, schema } = queue.shift()!;
      let r = this.resolve(schema);
      let listSteps = steps;
      // Step through lists to their items.
      while (r?.items) {
        listSteps = [...listSteps, '[*]'];
        r = this.resolve(r.items);
      }
      if (!r?.properties || seen.has(r)) continue;
      seen.add(r);
      yield { steps: listSteps, schema: r };
      if (listSteps.length >= maxDepth) continue;
      for (const [k, v] of Object.entries(r.properties)) if (k !== 'status' && k !== 'metadata') queue.push({ steps: [...listSteps, k], schema: v });
    }
  }
}

const normalized = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
/** `retries` → `retry`, `headers` → `header`. */
const singular = (s: string) => s.replace(/ies$/, 'y').replace(/s$/, '');

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return prev[b.length];
}

/** A sibling whose name differs only by case, separators, a typo or a plural ending. */
function nearestName(field: string, names: string[]): string | undefined {
  const n = normalized(field);
  const same = names.find((c) => normalized(c) === n) ?? names.find((c) => singular(normalized(c)) === singular(n));
  if (same) return same;
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of names) {
    const d = editDistance(field.toLowerCase(), c.toLowerCase());
    const limit = Math.min(c.length, field.length) >= 5 ? 2 : 1;
    const plural = (c.startsWith(field) || field.startsWith(c)) && Math.abs(c.length - field.length) <= 3 && Math.min(c.length, field.length) >= 4;
    if ((d <= limit || plural) && d < bestScore) {
      best = c;
      bestScore = d;
    }
  }
  return best;
}

/** "a", "a and b", "a, b and c". */
const listing = (xs: string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

interface Placement {
  field: string;
  container: string;
}

/**
 * Hint sentences for the unknown fields of one object (paths as strict decoding reports them), or none.
 * `doc` is the kind's OpenAPI schema in the served version.
 */
export function unknownFieldHints(doc: SchemaDocument | undefined, unknownPaths: string[]): string[] {
  if (!doc || unknownPaths.length === 0) return [];
  const view = new SchemaView(doc);
  if (!view.root) return [];
  // Group by parent, keeping the order of first appearance.
  const groups = new Map<string, { parent: Segment[]; fields: string[] }>();
  for (const p of unknownPaths) {
    const segs = segmentsOf(p);
    const field = segs.pop();
    if (typeof field !== 'string') continue;
    const key = render(segs);
    if (!groups.has(key)) groups.set(key, { parent: segs, fields: [] });
    groups.get(key)!.fields.push(field);
  }
  const hints: string[] = [];
  for (const { parent, fields } of groups.values()) {
    const parentSchema = view.at(parent);
    if (!parentSchema) continue;
    const parentPath = render(parent);
    const siblings = Object.keys(view.properties(parentSchema));
    const renames: string[] = [];
    const remaining: string[] = [];
    for (const f of fields) {
      const known = confusions.find((c) => c.field === f && siblings.includes(c.beside));
      if (known?.explain) hints.push(known.explain(parentPath || '(root)'));
      else if (known?.use) renames.push(`${known.use} (not ${f})`);
      else {
        const near = nearestName(f, siblings);
        if (near) renames.push(`${near} (not ${f})`);
        else remaining.push(f);
      }
    }
    if (renames.length) hints.push(`${parentPath ? `in ${parentPath}, ` : ''}did you mean ${listing(renames)}?`);
    for (const p of placeMisplaced(view, parent, remaining)) {
      hints.push(`${listing(p.fields)} ${p.fields.length === 1 ? 'belongs' : 'belong'} under ${p.container}, not ${parentPath || 'the top level'}`);
    }
  }
  return hints;
}

/** Finds, for fields unknown under `parent`, the nearby object that declares them; fields go where most of them fit. */
function placeMisplaced(view: SchemaView, parent: Segment[], fields: string[]): { container: string; fields: string[] }[] {
  if (fields.length === 0 || parent.length === 0) return [];
  // Candidates: objects below each ancestor (nearest ancestor first), never above the top-level field (spec).
  const candidates: { path: string; names: Set<string>; distance: number }[] = [];
  const seenPaths = new Set<string>();
  for (let up = parent.length; up >= 1; up--) {
    const base = parent.slice(0, up);
    for (const { steps, schema } of view.objectsBelow(view.at(base), 4)) {
      const path = [render(base), ...steps].join('.').replace(/\.\[\*\]/g, '[*]');
      if (seenPaths.has(path) || path === render(parent)) continue;
      seenPaths.add(path);
      candidates.push({ path, names: new Set(Object.keys(schema.properties ?? {})), distance: parent.length - up + steps.length });
    }
  }
  const placements: Placement[] = [];
  for (const f of fields) {
    let best: (typeof candidates)[number] | undefined;
    let bestScore = -1;
    for (const c of candidates) {
      if (!c.names.has(f)) continue;
      const score = fields.filter((g) => c.names.has(g)).length;
      if (score > bestScore || (score === bestScore && best && c.distance < best.distance)) {
        best = c;
        bestScore = score;
      }
    }
    if (best) placements.push({ field: f, container: best.path });
  }
  const byContainer = new Map<string, string[]>();
  for (const p of placements) byContainer.set(p.container, [...(byContainer.get(p.container) ?? []), p.field]);
  return [...byContainer].map(([container, fs]) => ({ container, fields: fs }));
}

/** The hints as one sentence to append to a strict decoding error, or ''. */
export function hintSuffix(hints: string[]): string {
  if (!hints.length) return '';
  const text = hints.join('; ');
  return `. Hint: ${text}${/[.?]$/.test(text) ? '' : '.'}`;
}
