// Writes src/apiserver/fieldmanager/zero-values.json: each built-in kind's Go zero value as structured-merge-diff sees it.
//
// A create is compared against `new(T)`: non-pointer structs are present even when tagged omitempty, fields
// without omitempty hold null ("creationTimestamp": null, "selector": null) or their zero scalar. The facts come
// from the k8s.io/api Go types of the release we match, read from a git checkout of kubernetes/api:
//
//   node scripts/generate-zero-values.ts <git-dir of kubernetes/api> [rev, default v0.33.9]

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const [gitDir, rev = 'v0.33.9'] = process.argv.slice(2);
if (!gitDir) throw new Error('usage: node scripts/generate-zero-values.ts <git-dir of kubernetes/api> [rev]');

const git = (...args: string[]) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

interface Field {
  name: string;
  type: string;
  inline: boolean;
  omitempty: boolean;
}

interface GoPackage {
  imports: Map<string, string>;
  structs: Map<string, Field[]>;
  /** Named non-struct types: `Protocol` → `string`, `ResourceList` → `map[ResourceName]resource.Quantity`. */
  named: Map<string, string>;
}

const packages = new Map<string, GoPackage | undefined>();

/** Parses the Go files of one k8s.io/api package (`apps/v1`), enough to see field types and json tags. */
function loadPackage(dir: string): GoPackage | undefined {
  if (packages.has(dir)) return packages.get(dir);
  let files: string[];
  try {
    files = git('ls-tree', '--name-only', `${rev}:${dir}`).split('\n').filter((f) => f.endsWith('.go') && !f.endsWith('_test.go') && !f.startsWith('zz_generated') && !f.startsWith('generated.') && !f.includes('swagger_doc'));
  } catch {
    packages.set(dir, undefined);
    return undefined;
  }
  const pkg: GoPackage = { imports: new Map(), structs: new Map(), named: new Map() };
  for (const f of files) {
    const text = git('show', `${rev}:${dir}/${f}`);
    const importBlock = /^import \(\n([\s\S]*?)^\)/m.exec(text)?.[1] ?? '';
    const single = [...text.matchAll(/^import\s+(\w+\s+)?"([^"]+)"/gm)].map((m) => `${m[1] ?? ''}"${m[2]}"`);
    for (const line of [...importBlock.split('\n'), ...single]) {
      const m = /^\s*(\w+\s+)?"([^"]+)"/.exec(line);
      if (!m) continue;
      const path = m[2]!;
      pkg.imports.set(m[1]?.trim() ?? path.split('/').pop()!, path);
    }
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const s = /^type (\w+) struct \{\s*$/.exec(lines[i]!);
      if (s) {
        const fields: Field[] = [];
        for (i++; i < lines.length && lines[i] !== '}'; i++) {
          const line = lines[i]!.replace(/\/\/.*$/, '').trim();
          if (!line) continue;
          const m = /^(?:(\w+)\s+)?(\S+)\s+`([^`]*)`$/.exec(line);
          if (!m) continue;
          const json = /json:"([^"]*)"/.exec(m[3]!)?.[1];
          const goName = m[1] ?? m[2]!.replace(/^\*/, '').split('.').pop()!;
          if (json === '-' || !/^[A-Z]/.test(goName)) continue;
          const [tagName = '', ...opts] = (json ?? '').split(',');
          const inline = opts.includes('inline') || (m[1] === undefined && tagName === '');
          fields.push({ name: tagName || goName, type: m[2]!, inline, omitempty: opts.includes('omitempty') });
        }
        pkg.structs.set(s[1]!, fields);
        continue;
      }
      const n = /^type (\w+) ([^=\s{][^{]*)$/.exec(lines[i]!);
      if (n) pkg.named.set(n[1]!, n[2]!.replace(/\/\/.*$/, '').trim());
    }
  }
  packages.set(dir, pkg);
  return pkg;
}

const OMIT = Symbol('omit');
type Zero = unknown | typeof OMIT;

const metav1 = 'k8s.io/apimachinery/pkg/apis/meta/v1';
/** Types outside k8s.io/api whose zero values are known (custom marshalers and meta structs). */
const external: Record<string, Zero> = {
  [`${metav1}.Time`]: null,
  [`${metav1}.MicroTime`]: null,
  [`${metav1}.Duration`]: '0s',
  [`${metav1}.ObjectMeta`]: { creationTimestamp: null },
  [`${metav1}.ListMeta`]: {},
  [`${metav1}.TypeMeta`]: {},
  [`${metav1}.LabelSelector`]: {},
  ['k8s.io/apimachinery/pkg/api/resource.Quantity']: '0',
  ['k8s.io/apimachinery/pkg/util/intstr.IntOrString']: 0,
  ['k8s.io/apimachinery/pkg/runtime.RawExtension']: null,
  ['k8s.io/apimachinery/pkg/types.UID']: '',
};

const scalars: Record<string, unknown> = {
  string: '',
  bool: false,
  byte: 0,
  int: 0,
  int32: 0,
  int64: 0,
  uint: 0,
  uint32: 0,
  uint64: 0,
  float32: 0,
  float64: 0,
};

function zeroOf(type: string, omitempty: boolean, pkgDir: string, depth: number): Zero {
  if (depth > 40) throw new Error(`type nesting too deep at ${type}`);
  if (type.startsWith('*') || type.startsWith('[]') || type.startsWith('map[')) return omitempty ? OMIT : null;
  if (Object.hasOwn(scalars, type)) {
    const z = scalars[type];
    return omitempty ? OMIT : z;
  }
  const pkg = loadPackage(pkgDir);
  let dir = pkgDir;
  let name = type;
  const dot = type.indexOf('.');
  if (dot >= 0) {
    const path = pkg?.imports.get(type.slice(0, dot));
    name = type.slice(dot + 1);
    if (!path) return OMIT;
    if (!path.startsWith('k8s.io/api/')) {
      const known = external[`${path}.${name}`];
      return known === undefined ? OMIT : known;
    }
    dir = path.slice('k8s.io/api/'.length);
  }
  const target = loadPackage(dir);
  const fields = target?.structs.get(name);
  if (fields) return zeroStruct(fields, dir, depth + 1);
  const underlying = target?.named.get(name);
  if (underlying) return zeroOf(underlying, omitempty, dir, depth + 1);
  return OMIT;
}

function zeroStruct(fields: Field[], dir: string, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.inline) {
      const inner = zeroOf(f.type.replace(/^\*/, ''), false, dir, depth);
      if (inner !== OMIT && inner !== null && typeof inner === 'object') Object.assign(out, inner);
      continue;
    }
    const z = zeroOf(f.type, f.omitempty, dir, depth);
    if (z !== OMIT) out[f.name] = z;
  }
  return out;
}

const definitions = JSON.parse(readFileSync(new URL('../src/api/schema/definitions.json', import.meta.url), 'utf8')) as Record<
  string,
  { 'x-kubernetes-group-version-kind'?: unknown[] }
>;
const out: Record<string, unknown> = {};
for (const [name, schema] of Object.entries(definitions)) {
  if (!schema['x-kubernetes-group-version-kind'] || !name.startsWith('io.k8s.api.') || name.endsWith('List')) continue;
  const parts = name.slice('io.k8s.api.'.length).split('.');
  const type = parts.pop()!;
  const dir = parts.join('/');
  const fields = loadPackage(dir)?.structs.get(type);
  if (!fields) continue;
  out[name] = zeroStruct(fields, dir, 0);
}
const target = new URL('../src/apiserver/fieldmanager/zero-values.json', import.meta.url);
const sorted = Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
writeFileSync(target, JSON.stringify(sorted, null, 1) + '\n');
console.log(`wrote ${Object.keys(sorted).length} zero values to ${target.pathname}`);
