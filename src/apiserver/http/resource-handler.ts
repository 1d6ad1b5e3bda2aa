// Serves one resource request (get/list/watch/create/update/patch/delete and subresources) through the generic store.
import type { IncomingMessage, ServerResponse } from 'node:http';
import fastJsonPatch from 'fast-json-patch';
import jsonMergePatch from 'json-merge-patch';
import { StatusError } from '../../machinery/status-error.ts';
import { fieldInvalid, goPlusV } from '../../machinery/field-errors.ts';
import { parseGoBool } from '../../machinery/go-bool.ts';
import { applyStrategicMergePatch, StrategicMergePatchError } from '../../machinery/strategic-merge-patch.ts';
import type { KObject } from '../registry/kobject.ts';
import type { RequestContext } from '../registry/request-context.ts';
import { apiVersionOf, type ResourceDefinition, type ServedVersion, type SubresourceRequest } from '../registry/resource.ts';
import type { DeleteOptions, ListQuery, Store, WatchEventType } from '../registry/store.ts';
import { partialMetadata, toTable, type IncludeObject } from '../registry/table-convert.ts';
import type { SchemaCatalog } from '../openapi/schema-catalog.ts';
import type { Registry } from '../registry/registry.ts';
import type { FieldManager } from '../fieldmanager/field-manager.ts';
import type { ProtobufDecoder } from './protobuf-decoder.ts';
import { decodeBody, negotiate, parseJson, patchTypeOf, type Representation } from './negotiation.ts';
import type { ResourceRequest } from './request-info.ts';
import { endpointsDeprecationWarning } from '../resources/core/endpoints/strategy.ts';
import { hintSuffix, unknownFieldHints } from '../openapi/unknown-field-hints.ts';
import { readBody, writeJson, writeStatus } from './response.ts';
import { parseYaml } from './yaml-codec.ts';

export interface ResourceHandlerDeps {
  registry: Registry;
  schemas: SchemaCatalog;
  fieldManager: FieldManager;
  /** Decodes `application/vnd.kubernetes.protobuf` bodies into the JSON shape; absent: 415. */
  protobuf?: ProtobufDecoder;
}

export interface HandlerInput {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  info: ResourceRequest;
  ctx: RequestContext;
}

const q = (url: URL, name: string) => url.searchParams.get(name) ?? undefined;

function boolParam(url: URL, name: string): boolean | undefined {
  const v = url.searchParams.get(name);
  if (v === null) return undefined;
  if (v === '') return true;
  try {
    return parseGoBool(v);
  } catch {
    throw StatusError.badRequest(`${name}: Invalid value: "${v}": must be a boolean`);
  }
}

function intParam(url: URL, name: string): number | undefined {
  const v = url.searchParams.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw StatusError.badRequest(`${name}: Invalid value: "${v}": must be an integer`);
  return Number(v);
}

type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

function fieldValidationOf(url: URL): FieldValidation {
  const v = q(url, 'fieldValidation');
  if (v === undefined || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw StatusError.badRequest(`fieldValidation: Unsupported value: "${v}": supported values: "Ignore", "Strict", "Warn"`);
}

function dryRunOf(url: URL): boolean {
  const all = url.searchParams.getAll('dryRun');
  for (const v of all) {
    if (v !== 'All') throw StatusError.badRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`);
  }
  return all.length > 0;
}

export class ResourceHandler {
  readonly #deps: ResourceHandlerDeps;
  constructor(deps: ResourceHandlerDeps) {
    this.#deps = deps;
  }

  async handle(input: HandlerInput): Promise<void> {
    const { req, info, url } = input;
    const store = this.#deps.registry.served(info.group, info.version, info.resource);
    const served = store?.def.versions.find((v) => v.version === info.version);
    if (!store || !served) throw StatusError.notFoundPath();
    const def = store.def;
    if (def.namespaced === false && info.namespace !== undefined) throw StatusError.notFoundPath();
    const sub = info.subresource;
    if (sub && !this.#subresourceAllowed(def, sub)) throw StatusError.notFoundPath();
    input.ctx.dryRun = dryRunOf(url);
    if (def.group === '' && def.resource === 'endpoints') input.ctx.warnings.push(endpointsDeprecationWarning);
    if (served.deprecationWarning !== undefined) input.ctx.warnings.push(served.deprecationWarning);
    const ns = info.namespace;
    const method = req.method ?? 'GET';
    const r = new Request(this.#deps, store, served, input);
    const custom = sub ? def.subresourceHandlers?.[sub] : undefined;
    if (custom && info.name !== undefined) {
      if (!custom.methods.includes(method)) throw StatusError.methodNotSupported(store.groupResource, methodVerb(method));
      return custom.handle(r.subresourceRequest(ns, info.name));
    }
    if (def.virtual) {
      if (method !== 'POST' || info.name !== undefined) throw StatusError.methodNotSupported(store.groupResource, methodVerb(method));
      return r.createVirtual(ns);
    }
    if (info.name === undefined) {
      switch (method) {
        case 'GET':
          return boolParam(url, 'watch') ? r.watch(ns) : r.list(ns);
        case 'POST':
          return r.create(ns);
        case 'DELETE':
          return r.deleteCollection(ns);
        default:
          throw StatusError.methodNotSupported(store.groupResource, methodVerb(method));
      }
    }
    const name = info.name;
    if (sub === 'scale') {
      if (method === 'GET') return r.getScale(ns, name);
      if (method === 'PUT') return r.updateScale(ns, name);
      if (method === 'PATCH') return r.patchScale(ns, name);
      throw StatusError.methodNotSupported(store.groupResource, methodVerb(method));
    }
    switch (method) {
      case 'GET':
        return r.get(ns, name);
      case 'PUT':
        return r.update(ns, name, sub);
      case 'PATCH':
        return r.patch(ns, name, sub);
      case 'DELETE':
        if (sub) throw StatusError.methodNotSupported(store.groupResource, 'delete');
        return r.delete(ns, name);
      default:
        throw StatusError.methodNotSupported(store.groupResource, methodVerb(method));
    }
  }

  #subresourceAllowed(def: ResourceDefinition, sub: string): boolean {
    if (def.subresourceHandlers?.[sub]) return true;
    if (sub === 'status') return !!def.subresources.status;
    if (sub === 'scale') return !!def.subresources.scale;
    if (sub === 'finalize') return def.kind === 'Namespace' && def.group === '';
    return false;
  }
}

function methodVerb(method: string): string {
  return ({ GET: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' } as Record<string, string>)[method] ?? method;
}

/** One request against one store, in one served version. */
class Request {
  readonly #deps: ResourceHandlerDeps;
  readonly #store: Store;
  readonly #def: ResourceDefinition;
  readonly #served: ServedVersion;
  readonly #in: HandlerInput;

  constructor(deps: ResourceHandlerDeps, store: Store, served: ServedVersion, input: HandlerInput) {
    this.#deps = deps;
    this.#store = store;
    this.#def = store.def;
    this.#served = served;
    this.#in = input;
  }

  get #apiVersion(): string {
    return apiVersionOf(this.#def.group, this.#served.version);
  }

  /** Storage version → served version. */
  #out = (obj: KObject): KObject => {
    const o = this.#served.conversion ? this.#served.conversion.fromStorage(obj) : obj;
    return { ...o, apiVersion: this.#apiVersion, kind: this.#def.kind };
  };

  #toStorage(obj: KObject): KObject {
    return this.#served.conversion ? this.#served.conversion.toStorage(obj) : obj;
  }

  #rep(allowTable = true): Representation {
    return negotiate(this.#in.req.headers.accept, allowTable);
  }

  #send(code: number, obj: unknown, rep: Representation = this.#rep(false)): void {
    writeJson(this.#in.res, code, obj, this.#in.ctx.warnings, rep.kind === 'object' && rep.yaml);
  }

  #sendObject(code: number, obj: KObject): void {
    const rep = this.#rep();
    if (rep.kind === 'table') {
      const t = toTable(this.#def.strategy.printer, [obj], {
        includeObject: this.#includeObject(),
        noHeaders: false,
        version: rep.version,
        convert: this.#out,
      });
      return this.#send(code, t, rep);
    }
    if (rep.kind === 'partial') return this.#send(code, partialMetadata(obj, rep.version), rep);
    this.#send(code, this.#out(obj), rep);
  }

  #includeObject(): IncludeObject {
    const v = q(this.#in.url, 'includeObject') ?? 'Metadata';
    if (v !== 'None' && v !== 'Metadata' && v !== 'Object') {
      throw StatusError.badRequest(`includeObject: Unsupported value: "${v}": supported values: "Metadata", "None", "Object"`);
    }
    return v;
  }

  #listQuery(): ListQuery {
    const url = this.#in.url;
    const limit = intParam(url, 'limit');
    return {
      labelSelector: q(url, 'labelSelector'),
      fieldSelector: q(url, 'fieldSelector'),
      limit: limit && limit > 0 ? limit : undefined,
      continue: q(url, 'continue'),
      resourceVersion: q(url, 'resourceVersion'),
      resourceVersionMatch: q(url, 'resourceVersionMatch'),
    };
  }

  /** The field manager of this request: `?fieldManager=`, else the User-Agent's first word, as upstream. */
  get #manager(): string {
    const given = this.#in.ctx.fieldManager;
    if (given !== undefined) {
      if (given.length > 128 || !/^[\x20-\x7e]*$/.test(given)) {
        throw StatusError.badRequest(`fieldManager: Invalid value: "${given}": must be no more than 128 printable characters`);
      }
      return given;
    }
    const ua = String(this.#in.req.headers['user-agent'] ?? '');
    return ua.split('/')[0].slice(0, 128) || 'unknown';
  }

  subresourceRequest(ns: string | undefined, name: string): SubresourceRequest {
    return {
      req: this.#in.req,
      res: this.#in.res,
      url: this.#in.url,
      ctx: this.#in.ctx,
      store: this.#store,
      version: this.#served.version,
      namespace: ns,
      name,
      readObject: async () => {
        const body = await readBody(this.#in.req);
        const o = await decodeBody(this.#in.req.headers['content-type'], body, this.#deps.protobuf);
        if (o === null || typeof o !== 'object' || Array.isArray(o)) throw StatusError.badRequest('the request body is not an object');
        return o as KObject;
      },
      send: (code, body) => this.#send(code, body),
    };
  }

  async createVirtual(ns: string | undefined): Promise<void> {
    const obj = this.#toStorage(await this.#decodeObject());
    const result = await this.#def.virtual!.create(obj, this.#in.ctx, ns);
    this.#send(201, this.#out(result));
  }

  async get(ns: string | undefined, name: string): Promise<void> {
    this.#sendObject(200, await this.#store.get(ns, name));
  }

  async list(ns: string | undefined): Promise<void> {
    const rep = this.#rep();
    const result = await this.#store.list(ns, this.#listQuery());
    if (rep.kind === 'table') {
      return this.#send(
        200,
        toTable(this.#def.strategy.printer, result.items, {
          includeObject: this.#includeObject(),
          noHeaders: false,
          version: rep.version,
          resourceVersion: result.resourceVersion,
          continue: result.continue,
          remainingItemCount: result.remainingItemCount,
          convert: this.#out,
        }),
        rep,
      );
    }
    const metadata: Record<string, unknown> = { resourceVersion: result.resourceVersion };
    if (result.continue) metadata.continue = result.continue;
    if (result.remainingItemCount !== undefined) metadata.remainingItemCount = result.remainingItemCount;
    if (rep.kind === 'partial') {
      return this.#send(
        200,
        {
          kind: 'PartialObjectMetadataList',
          apiVersion: `meta.k8s.io/${rep.version}`,
          metadata,
          items: result.items.map((o) => partialMetadata(o, rep.version)),
        },
        rep,
      );
    }
    this.#send(
      200,
      {
        kind: this.#def.listKind,
        apiVersion: this.#apiVersion,
        metadata,
        items: result.items.map((o) => {
          const { apiVersion: _a, kind: _k, ...rest } = this.#out(o);
          return rest;
        }),
      },
      rep,
    );
  }

  async watch(ns: string | undefined): Promise<void> {
    const { req, res, url } = this.#in;
    const rep = this.#rep();
    const timeoutSeconds = intParam(url, 'timeoutSeconds') ?? 1800 + Math.floor(Math.random() * 1800);
    const bookmarks = boolParam(url, 'allowWatchBookmarks') ?? false;
    const includeObject = rep.kind === 'table' ? this.#includeObject() : 'Metadata';
    let headerSent = false;
    let ended = false;
    const write = (type: WatchEventType, obj: KObject) => {
      if (ended) return;
      let object: unknown;
      if (type === 'BOOKMARK') {
        if (rep.kind === 'table') return;
        object = { kind: this.#def.kind, apiVersion: this.#apiVersion, metadata: obj.metadata };
      } else if (rep.kind === 'table') {
        object = toTable(this.#def.strategy.printer, [obj], {
          includeObject,
          noHeaders: headerSent,
          version: rep.version,
          convert: this.#out,
        });
        headerSent = true;
      } else if (rep.kind === 'partial') {
        object = partialMetadata(obj, rep.version);
      } else {
        object = this.#out(obj);
      }
      res.write(JSON.stringify({ type, object }) + '\n');
    };
    res.writeHead(200, {
      'Content-Type': rep.kind === 'object' && rep.yaml ? 'application/yaml' : 'application/json',
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    res.flushHeaders();
    let stop: (() => void) | undefined;
    const finish = () => {
      if (ended) return;
      ended = true;
      stop?.();
      clearTimeout(timer);
      clearInterval(bookmarkTimer);
      res.end();
    };
    const timer = setTimeout(finish, timeoutSeconds * 1000);
    const bookmarkTimer = bookmarks
      ? setInterval(() => write('BOOKMARK', this.#store.bookmark(this.#store.currentRevision)), 15_000)
      : undefined;
    req.on('close', finish);
    res.on('error', finish);
    try {
      stop = await this.#store.watch(ns, { ...this.#listQuery(), sendInitialEvents: boolParam(url, 'sendInitialEvents') }, write, (err) => {
        if (!ended) res.write(JSON.stringify({ type: 'ERROR', object: err.toStatus() }) + '\n');
        finish();
      });
      if (ended) stop();
    } catch (e) {
      const err = e instanceof StatusError ? e : StatusError.internal(e);
      if (!ended) res.write(JSON.stringify({ type: 'ERROR', object: err.toStatus() }) + '\n');
      finish();
    }
  }

  async #decodeObject(): Promise<KObject> {
    const body = await readBody(this.#in.req);
    const obj = await decodeBody(this.#in.req.headers['content-type'], body, this.#deps.protobuf);
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      throw StatusError.badRequest(`Object 'Kind' is missing in '${body.toString('utf8').slice(0, 200)}'`);
    }
    const o = obj as KObject;
    if (o.apiVersion !== undefined && o.apiVersion !== this.#apiVersion) {
      throw StatusError.badRequest(
        `the API version in the data (${o.apiVersion}) does not match the expected API version (${this.#apiVersion})`,
      );
    }
    if (o.kind !== undefined && o.kind !== this.#def.kind) {
      throw StatusError.badRequest(
        `${o.kind} in version "${this.#served.version}" cannot be handled as a ${this.#def.kind}: no kind "${o.kind}" is registered for version "${this.#apiVersion}"`,
      );
    }
    this.#checkFields(o);
    return this.#normalize(o);
  }

  /** Applies the fieldValidation directive: unknown fields fail (Strict), warn (Warn) or pass (Ignore). */
  /**
   * Decoding checks on a body (create/update) or on a patch result. Upstream words them differently: a body
   * fails with 400 `<Kind> in version "v" cannot be handled as a <Kind>: …`, a patch with 422
   * `"" is invalid: patch: Invalid value: "<patch>": …` (the patch map for strategic merge, the patched JSON otherwise).
   */
  #checkFields(obj: KObject, patch?: { value: string }): void {
    const mode = fieldValidationOf(this.#in.url);
    const fail = (detail: string): StatusError =>
      patch
        ? StatusError.invalid({ group: '', kind: '' }, '', [fieldInvalid('patch', patch.value, detail)])
        : StatusError.badRequest(`${this.#def.kind} in version "${this.#served.version}" cannot be handled as a ${this.#def.kind}: ${detail}`);
    const typeError = this.#deps.schemas.typeError(this.#def, this.#served.version, obj);
    if (typeError) throw fail(typeError);
    if (mode === 'Ignore') return;
    const unknown = this.#deps.schemas.unknownFields(this.#def, this.#served.version, obj);
    if (!unknown.length) return;
    if (mode === 'Strict') {
      throw fail(`strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}${hintSuffix(this.#unknownFieldHints(unknown))}`);
    }
    for (const f of unknown) this.#in.ctx.warnings.push(`unknown field "${f}"`);
    for (const h of this.#unknownFieldHints(unknown)) this.#in.ctx.warnings.push(`hint: ${h}`);
  }

  /** dabba's suggestions for unknown fields (the nearest real field, or where a misplaced one belongs). */
  #unknownFieldHints(unknown: string[]): string[] {
    return unknownFieldHints(this.#deps.schemas.provider(this.#def).openapi(this.#served.version), unknown);
  }

  /** What survives a Go round trip: validation and storage see the object as upstream would. */
  #normalize(obj: KObject): KObject {
    this.#deps.schemas.normalize(this.#def, this.#served.version, obj);
    obj.metadata ??= {};
    return obj;
  }

  async create(ns: string | undefined): Promise<void> {
    const obj = await this.#decodeObject();
    const tracked = this.#deps.fieldManager.update(undefined, obj, this.#manager);
    const created = await this.#store.create(ns, this.#toStorage(tracked), this.#in.ctx);
    this.#sendObject(201, created);
  }

  async update(ns: string | undefined, name: string, sub: string | undefined): Promise<void> {
    const obj = await this.#decodeObject();
    const manager = this.#manager;
    const fm = this.#deps.fieldManager;
    try {
      // Through patch so the field manager sees the live object; obj's own resourceVersion still guards it.
      const updated = await this.#store.patch(
        ns,
        name,
        (cur) => this.#toStorage(fm.update(this.#out(cur), this.#keepVersion(obj), manager, sub)),
        this.#in.ctx,
        { subresource: sub },
      );
      this.#sendObject(200, updated);
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 404 && this.#def.allowCreateOnUpdate && !sub)) throw e;
      const r = await this.#store.update(ns, name, this.#toStorage(fm.update(undefined, obj, manager)), this.#in.ctx);
      this.#sendObject(r.created ? 201 : 200, r.object);
    }
  }

  /** A PUT body without a resourceVersion is an unconditional update (patch retries conflicts for it). */
  #keepVersion(obj: KObject): KObject {
    return { ...obj, metadata: { ...obj.metadata } };
  }

  #applyPatch(current: KObject, type: ReturnType<typeof patchTypeOf>, patch: unknown): KObject {
    const served = this.#out(current);
    let result: unknown;
    switch (type) {
      case 'json': {
        if (!Array.isArray(patch)) throw StatusError.badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
        try {
          result = fastJsonPatch.applyPatch(served, patch as fastJsonPatch.Operation[], true, false).newDocument;
        } catch (e) {
          throw new StatusError(422, 'Invalid', `the server rejected our request due to an error in our request: ${(e as Error).message}`);
        }
        break;
      }
      case 'merge':
        if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
          throw StatusError.badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
        }
        result = jsonMergePatch.apply(served, patch);
        break;
      case 'strategic': {
        if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
          throw StatusError.badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
        }
        const meta = this.#deps.schemas.patchMeta(this.#def, this.#served.version);
        if (!meta) {
          throw new StatusError(
            415,
            'UnsupportedMediaType',
            'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
          );
        }
        try {
          result = applyStrategicMergePatch(served, patch, meta);
        } catch (e) {
          if (e instanceof StrategicMergePatchError) {
            const reason = e.status === 400 ? 'BadRequest' : e.status === 422 ? 'Invalid' : '';
            throw new StatusError(e.status, reason, e.message);
          }
          throw e;
        }
        break;
      }
      case 'apply':
        throw new StatusError(
          415,
          'UnsupportedMediaType',
          'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json',
        );
    }
    const obj = result as KObject;
    if (obj === null || typeof obj !== 'object') throw StatusError.badRequest('patch result is not an object');
    if (obj.apiVersion !== this.#apiVersion || obj.kind !== this.#def.kind) {
      throw StatusError.badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${this.#apiVersion})`);
    }
    this.#checkFields(obj, { value: type === 'strategic' ? goPlusV(patch) : JSON.stringify(obj) });
    return this.#toStorage(this.#normalize(obj));
  }

  async #patchBody(): Promise<{ type: ReturnType<typeof patchTypeOf>; patch: unknown }> {
    const type = patchTypeOf(this.#in.req.headers['content-type']);
    const body = await readBody(this.#in.req);
    if (type === 'apply') {
      try {
        return { type, patch: parseYaml(body.toString('utf8')) };
      } catch (e) {
        throw StatusError.badRequest(`error decoding YAML: ${(e as Error).message}`);
      }
    }
    return { type, patch: parseJson(body) };
  }

  async patch(ns: string | undefined, name: string, sub: string | undefined): Promise<void> {
    const { type, patch } = await this.#patchBody();
    if (type === 'apply') return this.#serverSideApply(ns, name, patch, sub);
    const manager = this.#manager;
    const obj = await this.#store.patch(
      ns,
      name,
      (cur) => {
        // A merge patch changes nested objects in place: the field manager needs the object as it was.
        const live = this.#out(structuredClone(cur));
        const patched = this.#applyPatch(cur, type, patch);
        return this.#toStorage(this.#deps.fieldManager.update(live, this.#out(patched), manager, sub));
      },
      this.#in.ctx,
      { subresource: sub },
    );
    this.#sendObject(200, obj);
  }

  /** `application/apply-patch+yaml`: the field manager merges the applied configuration; absent objects are created. */
  async #serverSideApply(ns: string | undefined, name: string, body: unknown, sub: string | undefined): Promise<void> {
    if (this.#in.ctx.fieldManager === undefined) {
      throw StatusError.badRequest('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    }
    const manager = this.#manager;
    const force = boolParam(this.#in.url, 'force') ?? false;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw StatusError.badRequest('error decoding YAML: the applied configuration is not an object');
    const config = body as KObject;
    if (config.apiVersion !== this.#apiVersion || config.kind !== this.#def.kind) {
      // The field manager's version check (upstream's versionCheckManager).
      const [group, version] = (config.apiVersion ?? '').includes('/') ? (config.apiVersion as string).split('/', 2) : ['', config.apiVersion ?? ''];
      throw StatusError.badRequest(`invalid object type: ${group}/${version}, Kind=${config.kind ?? ''}`);
    }
    if (config.metadata?.name !== undefined && config.metadata.name !== name) {
      throw StatusError.badRequest(`the name of the object (${config.metadata.name}) does not match the name on the URL (${name})`);
    }
    const fm = this.#deps.fieldManager;
    // The applied configuration reaches the field manager as sent (its field set is what the manager owns);
    // the merged result is then checked and normalised like any write.
    const applied = (live: KObject | undefined, cfg: KObject) => {
      const obj = fm.apply(live, cfg, manager, force, sub);
      this.#checkFields(obj);
      return this.#toStorage(this.#normalize(obj));
    };
    try {
      const obj = await this.#store.patch(ns, name, (cur) => applied(this.#out(cur), structuredClone(config)), this.#in.ctx, {
        subresource: sub,
      });
      this.#sendObject(200, obj);
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 404) || sub) throw e;
      const fresh = applied(undefined, { ...structuredClone(config), metadata: { ...config.metadata, name } });
      this.#sendObject(201, await this.#store.create(ns, fresh, this.#in.ctx));
    }
  }

  async delete(ns: string | undefined, name: string): Promise<void> {
    const opts = await this.#deleteOptions();
    const r = await this.#store.delete(ns, name, opts, this.#in.ctx);
    if (!r.deleted) return this.#sendObject(opts.orphanDependents === false ? 202 : 200, r.object);
    if (this.#def.returnDeletedObject) return this.#sendObject(200, r.object);
    this.#send(200, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: {
        name,
        ...(this.#def.group ? { group: this.#def.group } : {}),
        kind: this.#def.resource,
        uid: r.object.metadata.uid,
      },
    });
  }

  async #deleteOptions(): Promise<DeleteOptions> {
    const body = await readBody(this.#in.req);
    let opts: DeleteOptions = {};
    if (body.length) {
      const o = parseJson(body);
      if (o && typeof o === 'object') opts = o as DeleteOptions;
    }
    const url = this.#in.url;
    const pp = q(url, 'propagationPolicy');
    if (pp) opts.propagationPolicy = pp as DeleteOptions['propagationPolicy'];
    const grace = intParam(url, 'gracePeriodSeconds');
    if (grace !== undefined) opts.gracePeriodSeconds = grace;
    const orphan = boolParam(url, 'orphanDependents');
    if (orphan !== undefined) opts.orphanDependents = orphan;
    return opts;
  }

  async deleteCollection(ns: string | undefined): Promise<void> {
    const opts = await this.#deleteOptions();
    const r = await this.#store.deleteCollection(ns, this.#listQuery(), opts, this.#in.ctx);
    this.#send(200, {
      kind: this.#def.listKind,
      apiVersion: this.#apiVersion,
      metadata: { resourceVersion: r.resourceVersion },
      items: r.items.map(this.#out),
    });
  }

  #scaleOf(obj: KObject): KObject {
    const scale = this.#def.subresources.scale!;
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: {
        name: obj.metadata.name,
        namespace: obj.metadata.namespace,
        uid: obj.metadata.uid,
        resourceVersion: obj.metadata.resourceVersion,
        creationTimestamp: obj.metadata.creationTimestamp,
      },
      spec: { replicas: readPath(obj, scale.specReplicasPath) ?? 0 },
      status: { replicas: readPath(obj, scale.statusReplicasPath) ?? 0, selector: scale.selector(obj) },
    };
  }

  #setReplicas(obj: KObject, scale: KObject): KObject {
    const replicas = scale.spec?.replicas;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas)) {
      throw StatusError.badRequest(`Scale in version "v1" cannot be handled as a Scale: spec.replicas must be an integer`);
    }
    if (replicas < 0) {
      throw StatusError.invalid({ group: 'autoscaling', kind: 'Scale' }, obj.metadata.name ?? '', [
        fieldInvalid('spec.replicas', replicas, 'must be greater than or equal to 0'),
      ]);
    }
    writePath(obj, this.#def.subresources.scale!.specReplicasPath, replicas);
    if (scale.metadata?.resourceVersion) obj.metadata.resourceVersion = scale.metadata.resourceVersion;
    return obj;
  }

  /** A write through /scale, with the writer's ownership of the replicas tracked as upstream's ScaleHandler does. */
  #scaled(cur: KObject, change: (c: KObject) => KObject): KObject {
    const live = this.#out(structuredClone(cur));
    const next = this.#out(change(cur));
    return this.#toStorage(this.#deps.fieldManager.update(live, next, this.#manager, 'scale'));
  }

  async getScale(ns: string | undefined, name: string): Promise<void> {
    this.#send(200, this.#scaleOf(await this.#store.get(ns, name)));
  }

  async updateScale(ns: string | undefined, name: string): Promise<void> {
    const body = parseJson(await readBody(this.#in.req)) as KObject;
    const obj = await this.#store.patch(ns, name, (cur) => this.#scaled(cur, (c) => this.#setReplicas(c, body)), this.#in.ctx);
    this.#send(200, this.#scaleOf(obj));
  }

  async patchScale(ns: string | undefined, name: string): Promise<void> {
    const { type, patch } = await this.#patchBody();
    const obj = await this.#store.patch(
      ns,
      name,
      (cur) => {
        const scale = this.#scaleOf(cur);
        let next: KObject;
        if (type === 'json') next = fastJsonPatch.applyPatch(scale, patch as fastJsonPatch.Operation[], true, false).newDocument;
        else if (type === 'merge' || type === 'strategic') next = jsonMergePatch.apply(scale, patch) as KObject;
        else throw StatusError.unsupportedMediaType(String(this.#in.req.headers['content-type']));
        return this.#scaled(cur, (c) => this.#setReplicas(c, next));
      },
      this.#in.ctx,
    );
    this.#send(200, this.#scaleOf(obj));
  }
}

function readPath(obj: KObject, path: string): unknown {
  let cur: unknown = obj;
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function writePath(obj: KObject, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: Record<string, unknown> = obj;
  for (const p of parts.slice(0, -1)) {
    if (cur[p] === null || typeof cur[p] !== 'object') cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]] = value;
}

export { writeStatus };
