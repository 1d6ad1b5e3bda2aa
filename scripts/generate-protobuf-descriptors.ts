// Writes src/apiserver/protobuf/descriptors.json from checked-out kubernetes/api and kubernetes/apimachinery trees.
//
// Field numbers and proto types come from upstream's generated.proto files; JSON names, omitempty, inlining and
// whether a field is a Go pointer, slice or map come from the Go struct tags beside them (types.go and friends),
// which is what upstream's JSON encoding follows. Only the kinds of the group-versions below and the messages
// they reach are kept. CI never runs this.
// Run: node scripts/generate-protobuf-descriptors.ts <kubernetes/api dir> <kubernetes/apimachinery dir> [source label]

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FieldDescriptor, MessageDescriptor, ProtobufDescriptors } from '../src/apiserver/protobuf/descriptors.ts';

/** Group-versions whose kinds a client may send as protobuf (kubectl 1.32+ does for typed `create` commands). */
const groupVersions = [
  'core/v1',
  'apps/v1',
  'batch/v1',
  'autoscaling/v1',
  'autoscaling/v2',
  'authentication/v1',
  'authentication/v1beta1',
  'authentication/v1alpha1',
  'authorization/v1',
  'rbac/v1',
  'policy/v1',
  'networking/v1',
  'scheduling/v1',
  'coordination/v1',
  'discovery/v1',
  'events/v1',
];
const machineryPackages = ['apis/meta/v1', 'runtime', 'api/resource', 'util/intstr'];

/** Messages the decoder formats itself (their JSON is not their proto fields); their Go structs are not read. */
const specialMessages = new Set([
  'k8s.io.apimachinery.pkg.apis.meta.v1.Time',
  'k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime',
  'k8s.io.apimachinery.pkg.apis.meta.v1.Duration',
  'k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1',
  'k8s.io.apimachinery.pkg.api.resource.Quantity',
  'k8s.io.apimachinery.pkg.api.resource.QuantityValue',
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString',
  'k8s.io.apimachinery.pkg.runtime.RawExtension',
  'k8s.io.apimachinery.pkg.runtime.TypeMeta',
  'k8s.io.apimachinery.pkg.runtime.Unknown',
]);

const scalars = new Set([
  'double', 'float', 'int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64',
  'fixed32', 'fixed64', 'sfixed32', 'sfixed64', 'bool', 'string', 'bytes',
]);

interface ProtoField {
  label: 'optional' | 'repeated' | 'required' | 'map';
  type: string;
  key?: string;
  name: string;
  number: number;
}

interface ProtoFile {
  pkg: string;
  messages: Map<string, ProtoField[]>;
}

function parseProto(text: string): ProtoFile {
  const src = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
  const tokens = src.match(/"[^"]*"|[A-Za-z_][\w.]*|\d+|[{}<>=;,]/g) ?? [];
  let i = 0;
  const next = () => tokens[i++];
  const expect = (t: string) => {
    const got = next();
    if (got !== t) throw new Error(`proto: expected ${t}, got ${got} at token ${i}`);
  };
  let pkg = '';
  const messages = new Map<string, ProtoField[]>();
  while (i < tokens.length) {
    const t = next();
    if (t === 'syntax' || t === 'option') {
      while (next() !== ';');
    } else if (t === 'package') {
      pkg = next();
      expect(';');
    } else if (t === 'import') {
      next();
      expect(';');
    } else if (t === 'message') {
      const name = next();
      expect('{');
      const fields: ProtoField[] = [];
      for (let f = next(); f !== '}'; f = next()) {
        if (f === 'map') {
          expect('<');
          const key = next();
          expect(',');
          const type = next();
          expect('>');
          const fname = next();
          expect('=');
          fields.push({ label: 'map', key, type, name: fname, number: Number(next()) });
        } else if (f === 'optional' || f === 'repeated' || f === 'required') {
          const type = next();
          const fname = next();
          expect('=');
          fields.push({ label: f, type, name: fname, number: Number(next()) });
        } else {
          throw new Error(`proto: unexpected ${f} in message ${name}`);
        }
        expect(';');
      }
      messages.set(name, fields);
    } else {
      throw new Error(`proto: unexpected ${t}`);
    }
  }
  return { pkg, messages };
}

interface GoField {
  name: string;
  goType: string;
  embedded: boolean;
  json: string | undefined;
  protobuf: string | undefined;
}

interface GoPackage {
  structs: Map<string, GoField[]>;
  /** Named slice types (`type ExtraValue []string`) → element type. */
  slices: Map<string, string>;
}

function parseGoPackage(dir: string): GoPackage {
  const structs = new Map<string, GoField[]>();
  const slices = new Map<string, string>();
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.go') || file.endsWith('_test.go') || file.endsWith('.pb.go') || file.startsWith('zz_generated')) continue;
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const slice = /^type (\w+) \[\](\w+)\s*$/.exec(lines[i]);
      if (slice) slices.set(slice[1], slice[2]);
      const head = /^type (\w+) struct \{\s*$/.exec(lines[i]);
      if (!head) continue;
      const fields: GoField[] = [];
      for (i++; i < lines.length && !/^\}/.test(lines[i]); i++) {
        const line = lines[i].trim();
        if (line === '' || line.startsWith('//')) continue;
        const tagAt = line.indexOf('`');
        const decl = (tagAt >= 0 ? line.slice(0, tagAt) : line.replace(/\/\/.*$/, '')).trim().split(/\s+/);
        const tag = tagAt >= 0 ? line.slice(tagAt + 1, line.lastIndexOf('`')) : '';
        const tags = new Map([...tag.matchAll(/(\w+):"([^"]*)"/g)].map((m) => [m[1], m[2]] as const));
        const embedded = decl.length === 1;
        const goType = embedded ? decl[0] : decl[1];
        const name = embedded ? goType.replace(/^\*/, '').replace(/^\w+\./, '') : decl[0];
        fields.push({ name, goType, embedded, json: tags.get('json'), protobuf: tags.get('protobuf') });
      }
      structs.set(head[1], fields);
    }
  }
  return { structs, slices };
}

function goShape(goType: string, proto: ProtoField): string {
  if (goType.startsWith('*')) return 'p';
  if (goType === '[]byte') return 'b';
  if (goType.startsWith('[]')) return 's';
  if (goType.startsWith('map[')) return 'm';
  if (proto.label === 'map') return 'm';
  if (proto.label === 'repeated') return 's';
  if (proto.type === 'bytes') return 'b';
  return 'v';
}

const [apiDir, machineryDir, sourceLabel] = process.argv.slice(2);
if (!apiDir || !machineryDir) {
  console.error('usage: node scripts/generate-protobuf-descriptors.ts <kubernetes/api dir> <kubernetes/apimachinery dir> [source label]');
  process.exit(2);
}

const packages: { dir: string; gv?: string }[] = [
  ...groupVersions.map((gv) => ({ dir: join(apiDir, gv), gv })),
  ...machineryPackages.map((p) => ({ dir: join(machineryDir, 'pkg', p) })),
];

const protoMessages = new Map<string, ProtoField[]>();
const goTypes = new Map<string, GoPackage>();
const kinds: Record<string, string> = {};
for (const { dir, gv } of packages) {
  const proto = parseProto(readFileSync(join(dir, 'generated.proto'), 'utf8'));
  for (const [name, fields] of proto.messages) protoMessages.set(`${proto.pkg}.${name}`, fields);
  goTypes.set(proto.pkg, parseGoPackage(dir));
  if (!gv) continue;
  const register = readFileSync(join(dir, 'register.go'), 'utf8');
  const group = /GroupName\s*=\s*"([^"]*)"/.exec(register)?.[1];
  if (group === undefined) throw new Error(`${dir}/register.go: no GroupName`);
  const version = gv.split('/')[1];
  const apiVersion = group ? `${group}/${version}` : version;
  const known = /AddKnownTypes\(SchemeGroupVersion,([\s\S]*?)\)\n/.exec(register)?.[1] ?? '';
  for (const m of known.matchAll(/&(\w+)\{\}/g)) {
    const fields = proto.messages.get(m[1]);
    // Only objects (with ObjectMeta) arrive as request bodies; lists and option types do not.
    if (!fields?.some((f) => f.name === 'metadata' && f.type.endsWith('.ObjectMeta'))) continue;
    kinds[`${apiVersion}/${m[1]}`] = `${proto.pkg}.${m[1]}`;
  }
}

function resolveType(pkg: string, type: string): string {
  if (scalars.has(type)) return type;
  if (protoMessages.has(type)) return type;
  if (protoMessages.has(`${pkg}.${type}`)) return `${pkg}.${type}`;
  throw new Error(`unknown proto type ${type} in ${pkg}`);
}

const messages: Record<string, MessageDescriptor> = {};
const queue = Object.values(kinds);
while (queue.length) {
  const full = queue.shift()!;
  if (messages[full]) continue;
  const pkg = full.slice(0, full.lastIndexOf('.'));
  const simple = full.slice(pkg.length + 1);
  const proto = protoMessages.get(full)!;
  const go = goTypes.get(pkg)!;
  const refer = (t: string) => {
    if (!scalars.has(t) && !messages[t]) queue.push(t);
  };
  const elem = go.slices.get(simple);
  if (elem !== undefined && proto.length === 1 && proto[0].name === 'items') {
    const items = resolveType(pkg, proto[0].type);
    refer(items);
    messages[full] = { items };
    continue;
  }
  if (specialMessages.has(full)) {
    messages[full] = proto.map((f) => [f.number, f.name, resolveType(pkg, f.type), f.label === 'repeated' ? 's' : 'v'] as FieldDescriptor);
    continue;
  }
  const struct = go.structs.get(simple);
  if (!struct) throw new Error(`no Go struct for ${full}`);
  const byNumber = new Map(proto.map((f) => [f.number, f]));
  const fields: FieldDescriptor[] = [];
  for (const gf of struct) {
    if (!gf.protobuf || gf.protobuf === '-') continue;
    const number = Number(gf.protobuf.split(',')[1]);
    const pf = byNumber.get(number);
    if (!pf) throw new Error(`${full}: Go field ${gf.name} has protobuf number ${number}, absent from generated.proto`);
    byNumber.delete(number);
    const [jsonName, ...opts] = (gf.json ?? '').split(',');
    if (jsonName === '-') continue;
    const inline = opts.includes('inline') || (gf.embedded && gf.json === undefined);
    let flags = goShape(gf.goType, pf);
    if (opts.includes('omitempty')) flags += 'o';
    if (inline) flags += 'i';
    const type = resolveType(pkg, pf.type);
    refer(type);
    const field: FieldDescriptor = [number, inline ? '' : jsonName || gf.name, type, flags];
    if (pf.label === 'map') field.push(pf.key!);
    if ((pf.label === 'map') !== flags.startsWith('m') || (pf.label === 'repeated') !== flags.startsWith('s')) {
      throw new Error(`${full}.${pf.name}: Go type ${gf.goType} does not fit proto ${pf.label} ${pf.type}`);
    }
    fields.push(field);
  }
  if (byNumber.size) throw new Error(`${full}: proto fields without a Go field: ${[...byNumber.values()].map((f) => f.name).join(', ')}`);
  messages[full] = fields;
}
for (const name of ['k8s.io.apimachinery.pkg.runtime.Unknown', 'k8s.io.apimachinery.pkg.runtime.TypeMeta']) {
  messages[name] = protoMessages.get(name)!.map((f) => [f.number, f.name, f.type, 'v'] as FieldDescriptor);
}

const sorted = Object.fromEntries(Object.entries(messages).sort(([a], [b]) => a.localeCompare(b)));
const out: ProtobufDescriptors = { source: sourceLabel ?? 'kubernetes/api, kubernetes/apimachinery', kinds, messages: sorted };
const lines = [
  '{',
  `  "source": ${JSON.stringify(out.source)},`,
  `  "kinds": ${JSON.stringify(out.kinds)},`,
  '  "messages": {',
  Object.entries(out.messages)
    .map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(',\n'),
  '  }',
  '}',
];
const target = new URL('../src/apiserver/protobuf/descriptors.json', import.meta.url);
writeFileSync(target, lines.join('\n') + '\n');
console.log(`wrote ${Object.keys(kinds).length} kinds and ${Object.keys(sorted).length} messages to ${target.pathname}`);
