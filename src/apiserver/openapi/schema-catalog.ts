// The API server's view of the schemas: unknown-field checks, patch metadata, and the OpenAPI v3/v2 documents.
import { createHash } from 'node:crypto';
import { definitionFor, definitionsForGroupVersion } from '../../api/schema/definitions.ts';
import { typeErrors, unknownFields } from '../../api/schema/unknown-fields.ts';
import { patchMetaFor } from '../../api/schema/patch-meta.ts';
import { omitEmpty } from '../../api/schema/omit-empty.ts';
import type { PatchMeta } from '../../machinery/patch-meta.ts';
import { apiVersionOf, type ResourceDefinition } from '../registry/resource.ts';

interface GroupVersionDoc {
  body: string;
  hash: string;
}

const param = (name: string, type = 'string', uniqueItems = true) => ({ name, in: 'query', schema: { type, uniqueItems } });
const writeParams = [param('dryRun'), param('fieldManager'), param('fieldValidation')];

export class SchemaCatalog {
  readonly #defs: ResourceDefinition[];
  readonly #docs = new Map<string, GroupVersionDoc>();
  #index: string | undefined;

  constructor(defs: ResourceDefinition[]) {
    this.#defs = defs;
  }

  unknownFields(group: string, version: string, kind: string, obj: unknown): string[] {
    const name = definitionFor(group, version, kind);
    return name ? unknownFields(obj, name) : [];
  }

  /** Drops optional nulls and empty maps, lists and strings in place, as a Go decode/encode round trip does. */
  normalize(group: string, version: string, kind: string, obj: unknown): void {
    const name = definitionFor(group, version, kind);
    if (name) omitEmpty(obj, name);
  }

  /** The first JSON type mismatch as the Go decoder words it, or undefined. */
  typeError(group: string, version: string, kind: string, obj: unknown): string | undefined {
    const name = definitionFor(group, version, kind);
    return name ? typeErrors(obj, name)[0]?.message : undefined;
  }

  patchMeta(group: string, version: string, kind: string): PatchMeta | undefined {
    const name = definitionFor(group, version, kind);
    return name ? patchMetaFor(name) : undefined;
  }

  #groupVersions(): { group: string; version: string; defs: ResourceDefinition[] }[] {
    const m = new Map<string, { group: string; version: string; defs: ResourceDefinition[] }>();
    for (const d of this.#defs) {
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
    const cached = this.#docs.get(path);
    if (cached) return cached;
    const gv = this.#groupVersions().find((x) => SchemaCatalog.pathOf(x.group, x.version) === path);
    if (!gv) return undefined;
    const paths: Record<string, unknown> = {};
    for (const d of gv.defs) {
      const gvk = { group: d.group, version: gv.version, kind: d.kind };
      const base = `/${path}/${d.namespaced ? 'namespaces/{namespace}/' : ''}${d.resource}`;
      const schemaName = definitionFor(d.group, gv.version, d.kind);
      const ref = schemaName ? { $ref: `#/components/schemas/${schemaName}` } : { type: 'object' };
      const op = (action: string, params: object[] = []) => ({
        tags: [gv.group || 'core_' + gv.version],
        operationId: `${action}${d.kind}`,
        parameters: params,
        responses: { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } },
        'x-kubernetes-action': action,
        'x-kubernetes-group-version-kind': gvk,
      });
      const body = { content: { '*/*': { schema: ref } }, required: true };
      paths[base] = {
        get: op('list'),
        post: { ...op('post', writeParams), requestBody: body },
        delete: op('deletecollection'),
        parameters: d.namespaced ? [{ name: 'namespace', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } }] : [],
      };
      paths[`${base}/{name}`] = {
        get: op('get'),
        put: { ...op('put', writeParams), requestBody: body },
        patch: { ...op('patch', [...writeParams, param('force', 'boolean')]), requestBody: { content: { 'application/strategic-merge-patch+json': { schema: { type: 'object' } } }, required: true } },
        delete: op('delete', [param('dryRun'), param('gracePeriodSeconds', 'integer'), param('propagationPolicy')]),
        parameters: [
          { name: 'name', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } },
          ...(d.namespaced ? [{ name: 'namespace', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } }] : []),
        ],
      };
    }
    const doc = {
      openapi: '3.0.0',
      info: { title: 'Kubernetes', version: 'v1.33.0' },
      paths,
      components: { schemas: definitionsForGroupVersion(gv.group, gv.version) },
    };
    const text = JSON.stringify(doc);
    const hash = createHash('sha512').update(text).digest('hex').toUpperCase();
    const entry = { body: text, hash };
    this.#docs.set(path, entry);
    return entry;
  }
}

/** An empty gnostic OpenAPI v2 Document in protobuf: valid, and enough for kubectl 1.27/1.28 to go on to v3. */
export const openApiV2Protobuf = Buffer.alloc(0);
