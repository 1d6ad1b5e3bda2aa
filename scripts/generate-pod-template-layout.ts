// Writes src/controllers/deployment/pod-template-layout.json: the Go struct layout of v1.PodTemplateSpec (field order, Go types, JSON names) that the pod-template-hash needs.
//
// Usage: node scripts/generate-pod-template-layout.ts <k8s.io/api core/v1/types.go> <k8s.io/apimachinery pkg/apis/meta/v1/types.go>
// (from k8s.io/api and k8s.io/apimachinery v0.33.0, Apache-2.0). Only field names, types and JSON names are taken.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Field = { name: string; type: string; json: string; inline?: boolean };
type Decl = { kind: 'struct'; fields: Field[] } | { kind: 'named'; underlying: string };

const [coreFile, metaFile] = process.argv.slice(2);
if (!coreFile || !metaFile) {
  console.error('usage: generate-pod-template-layout.ts <core/v1/types.go> <meta/v1/types.go>');
  process.exit(2);
}

const builtins = new Set(['string', 'bool', 'int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'float32', 'float64', 'byte']);

/** Parses top-level type declarations of one Go file, qualifying names with `pkg` (core / meta). */
function parse(src: string, pkg: string, out: Map<string, Decl>): void {
  const lines = src.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const struct = /^type (\w+) struct \{\s*$/.exec(line);
    if (struct) {
      const fields: Field[] = [];
      for (i++; i < lines.length && !/^\}/.test(lines[i]!); i++) {
        const l = lines[i]!.replace(/\/\/.*$/, '').trim();
        if (!l) continue;
        const tag = /`([^`]*)`/.exec(l)?.[1] ?? '';
        const body = l.replace(/`[^`]*`/, '').trim();
        const json = /json:"([^"]*)"/.exec(tag)?.[1] ?? '';
        const jsonName = json.split(',')[0] ?? '';
        const inline = json.split(',').includes('inline');
        const parts = body.split(/\s+/);
        if (parts.length === 1) {
          // Embedded: the field is named after the type.
          const t = parts[0]!;
          const name = t.replace(/^\*/, '').replace(/^\w+\./, '');
          fields.push({ name, type: qualify(t, pkg), json: jsonName, ...(inline ? { inline } : {}) });
        } else {
          const [name, ...rest] = parts;
          fields.push({ name: name!, type: qualify(rest.join(' '), pkg), json: jsonName || name!, ...(inline ? { inline } : {}) });
        }
      }
      out.set(`${pkg}.${struct[1]}`, { kind: 'struct', fields });
      continue;
    }
    const alias = /^type (\w+) = (\S+)\s*$/.exec(line);
    if (alias) {
      out.set(`${pkg}.${alias[1]}`, { kind: 'named', underlying: `=${qualify(alias[2]!, pkg)}` });
      continue;
    }
    const named = /^type (\w+) (.+?)\s*$/.exec(line);
    if (named && !named[2]!.startsWith('struct') && !named[2]!.startsWith('interface')) {
      out.set(`${pkg}.${named[1]}`, { kind: 'named', underlying: qualify(named[2]!, pkg) });
    }
  }
}

/** Rewrites a Go type expression with package-qualified names: core.X, meta.X, resource.Quantity, … */
function qualify(t: string, pkg: string): string {
  return t.replace(/(\*|\[\]|map\[|\])?([A-Za-z_][\w.]*)/g, (_m, pre: string | undefined, id: string) => {
    const p = pre ?? '';
    if (builtins.has(id)) return p + (id === 'byte' ? 'uint8' : id);
    if (id.includes('.')) {
      const [q, n] = id.split('.');
      if (q === 'metav1') return `${p}meta.${n}`;
      return `${p}${q}.${n}`;
    }
    return `${p}${pkg}.${id}`;
  });
}

const all = new Map<string, Decl>();
parse(readFileSync(coreFile, 'utf8'), 'core', all);
parse(readFileSync(metaFile, 'utf8'), 'meta', all);

// Reachable from core.PodTemplateSpec.
const keep = new Map<string, Decl>();
const external = new Set(['resource.Quantity', 'intstr.IntOrString', 'types.UID', 'meta.Time', 'time.Time']);
const visit = (t: string): void => {
  for (const m of t.matchAll(/(core|meta|resource|intstr|types|time)\.\w+/g)) {
    const name = m[0];
    if (keep.has(name) || external.has(name)) continue;
    const d = all.get(name);
    if (!d) throw new Error(`type ${name} not found`);
    keep.set(name, d);
    if (d.kind === 'struct') for (const f of d.fields) visit(f.type);
    else visit(d.underlying);
  }
};
visit('core.PodTemplateSpec');

const types = Object.fromEntries([...keep.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
const out = join(import.meta.dirname, '../src/controllers/deployment/pod-template-layout.json');
writeFileSync(out, JSON.stringify({ source: 'k8s.io/api v0.33.0 core/v1, k8s.io/apimachinery v0.33.0 meta/v1', types }, null, 1) + '\n');
console.log(`wrote ${keep.size} types to ${out}`);
