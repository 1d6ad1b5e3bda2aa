// The API server's view of the schemas: unknown-field checks, patch metadata, and the OpenAPI v3/v2 documents.
import { createHash } from 'node:crypto';
import type { PatchMeta } from '../../machinery/patch-meta.ts';
import { apiVersionOf, type ResourceDefinition } from '../registry/resource.ts';
import type { Registry } from '../registry/registry.ts';
import { BuiltinSchemas } from './builtin-schemas.ts';
import type { SchemaProvider } from './schema-provider.ts';

interface GroupVersionDoc {
  body: string;
  hash: string;
}

const param = (name: string, type = 'string', uniqueItems = true) => ({ name, in: 'query', schema: { type, uniqueItems } });
const writeParams = [param('dryRun'), param('fieldManager'), param('fieldValidation')];

export class SchemaCatalog {
  readonly #registry: Registry;
  readonly #builtin = new Map<string, SchemaProvider>();
  #docs = new Map<string, GroupVersionDoc>();
  #index: string | undefined;
  #builtFor = -1;

  constructor(registry: Registry) {
    this.#registry = registry;
  }

  provider(def: ResourceDefinition): SchemaProvider {
    if (def.schemaProvider) return def.schemaProvider;
    const key = `${def.group}/${def.kind}`;
    let p = this.#builtin.get(key);
    if (!p) {
      p = new BuiltinSchemas(def.group, def.kind);
      this.#builtin.set(key, p);
    }
    return p;
  }

  unknownFields(def: ResourceDefinition, version: string, obj: unknown): string[] {
    return this.provider(def).unknownFields(version, obj);
  }

  /** The first JSON type mismatch as the Go decoder words it, or undefined. */
  typeError(def: ResourceDefinition, version: string, obj: unknown): string | undefined {
    return this.provider(def).typeError(version, obj);
  }

  /** Normalises in place: drops what a Go round trip drops (built-ins), prunes and defaults (CRDs). */
  normalize(def: ResourceDefinition, version: string, obj: unknown): void {
    this.provider(def).normalize(version, obj);
  }

  patchMeta(def: ResourceDefinition, version: string): PatchMeta | undefined {
    return this.provider(def).patchMeta(version);
  }

  #fresh(): void {
    if (this.#builtFor === this.#registry.version) return;
    this.#docs = new Map();
    this.#index = undefined;
    this.#builtFor = this.#registry.version;
  }

  #groupVersions(): { group: string; version: string; defs: ResourceDefinition[] }[] {
    const m = new Map<string, { group: string; version: string; defs: ResourceDefinition[] }>();
    for (const d of this.#registry.definitions()) {
      for (const v of d.versions) {
        const k = apiVersionOf(d.group, v.version);
        if (!m.has(k)) m.set(k, { group: d.group, version: v.version, defs: [] });
        m.get(k)!.defs.push(d);
      }
    }
    return [...m.values()];
  }

  static pathOf(group: string, version: string): string {
    return group ? `apis/${group}/${version}` : `api/${version}`;
  }

  /** `GET /openapi/v3`: the index of group-version documents with their content hashes. */
  v3Index(): string {
    this.#fresh();
    if (this.#index) return this.#index;
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const gv of this.#groupVersions()) {
      const p = SchemaCatalog.pathOf(gv.group, gv.version);
      const doc = this.v3Document(p)!;
      paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${doc.hash}` };
    }
    this.#index = JSON.stringify({ paths });
    return this.#index;
  }

  /** The OpenAPI v3 document of one group-version, e.g. `apis/apps/v1`. */
  v3Document(path: string): GroupVersionDoc | undefined {
    this.#fresh();
    const cached = this.#docs.get(path);
    if (cached) return cached;
    const gv = this.#groupVersions().find((x) => SchemaCatalog.pathOf(x.group, x.version) === path);
    if (!gv) return undefined;
    const paths: Record<string, unknown> = {};
    const schemas: Record<string, unknown> = {};
    for (const d of gv.defs) {
      const gvk = { group: d.group, version: gv.version, kind: d.kind };
      const base = `/${path}/${d.namespaced ? 'namespaces/{namespace}/' : ''}${d.resource}`;
      const own = this.provider(d).openapi(gv.version);
      if (own) Object.assign(schemas, own.schemas);
      const ref = own ? { $ref: `#/components/schemas/${own.name}` } : { type: 'object' };
      const op = (action: string, params: object[] = []) => ({
        tags: [gv.group || 'core_' + gv.version],
        operationId: `${action}${d.kind}`,
        parameters: params,
        responses: { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } },
        'x-kubernetes-action': action,
        'x-kubernetes-group-version-kind': gvk,
      });
      const body = { content: { '*/*': { schema: ref } }, required: true };
      const nsParam = d.namespaced ? [{ name: 'namespace', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } }] : [];
      if (d.virtual) {
        paths[`/${path}/${d.resource}`] = { post: { ...op('post', writeParams), requestBody: body } };
        continue;
      }
      paths[base] = {
        get: op('list'),
        post: { ...op('post', writeParams), requestBody: body },
        delete: op('deletecollection'),
        parameters: nsParam,
      };
      paths[`${base}/{name}`] = {
        get: op('get'),
        put: { ...op('put', writeParams), requestBody: body },
        patch: {
          ...op('patch', [...writeParams, param('force', 'boolean')]),
          requestBody: { content: { 'application/merge-patch+json': { schema: { type: 'object' } } }, required: true },
        },
        delete: op('delete', [param('dryRun'), param('gracePeriodSeconds', 'integer'), param('propagationPolicy')]),
        parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } }, ...nsParam],
      };
    }
    const doc = { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.33.0' }, paths, components: { schemas } };
    const text = JSON.stringify(doc);
    const entry = { body: text, hash: createHash('sha512').update(text).digest('hex').toUpperCase() };
    this.#docs.set(path, entry);
    return entry;
  }
}

/** An empty gnostic OpenAPI v2 Document in protobuf: valid, and enough for kubectl 1.27/1.28 to go on to v3. */
export const openApiV2Protobuf = Buffer.alloc(0);
