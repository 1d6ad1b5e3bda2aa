// The description of one served API resource: its names, scope, verbs, subresources and strategy.
import type { Strategy } from './strategy.ts';
import type { KObject } from './kobject.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestContext } from './request-context.ts';
import type { SchemaProvider } from '../openapi/schema-provider.ts';
import type { Store } from './store.ts';

export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  /** Builds the Scale's status.selector string from the object. */
  selector(obj: KObject): string;
}

/** Converts between a served version and the stored (hub) version of a kind. */
export interface VersionConversion {
  toStorage(obj: KObject): KObject;
  fromStorage(obj: KObject): KObject;
}

export interface ServedVersion {
  version: string;
  /** Absent when the version is the storage version. */
  conversion?: VersionConversion;
  /** Sent as a `Warning` header on every request to this version (deprecated CRD versions). */
  deprecationWarning?: string;
}

/** Everything a custom subresource handler (token, eviction, log, exec…) gets for one request. */
export interface SubresourceRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  ctx: RequestContext;
  store: Store;
  /** The served version the client addressed. */
  version: string;
  namespace?: string;
  name: string;
  /** Reads and JSON-decodes the request body (protobuf bodies are decoded to JSON shape too). */
  readObject(): Promise<KObject>;
  /** Writes a JSON reply with the request's warnings. */
  send(code: number, body: unknown): void;
}

export interface SubresourceHandler {
  /** HTTP methods served, e.g. ['POST'] for serviceaccounts/token, ['GET'] for pods/log. */
  methods: string[];
  /** The kind returned, for discovery (e.g. authentication.k8s.io/v1 TokenRequest). */
  responseKind?: { group: string; version: string; kind: string };
  /** Discovery verbs, e.g. ['create'] or ['get']. */
  verbs: string[];
  handle(r: SubresourceRequest): Promise<void>;
}

/** A kind that is never stored: each create is answered at once (SubjectAccessReview, SelfSubjectReview). */
export interface VirtualResource {
  create(obj: KObject, ctx: RequestContext, namespace: string | undefined): Promise<KObject>;
}

export interface ResourceDefinition {
  group: string;
  /** Versions served, the first is the preferred one; the storage version has no conversion. */
  versions: ServedVersion[];
  storageVersion: string;
  kind: string;
  listKind: string;
  /** Plural, lowercase (`deployments`). */
  resource: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs: string[];
  subresources: { status?: boolean; scale?: ScaleSubresource };
  strategy: Strategy;
  /** Storage group when the kind shares storage with another group's kind (events.k8s.io events live with core events). */
  storageResource?: { group: string; resource: string };
  /** Upstream returns the deleted object instead of a Status for these kinds (pods, services). */
  returnDeletedObject?: boolean;
  /** Values are encrypted at rest (secrets). */
  encrypted?: boolean;
  /** Create-on-update (PUT to a missing name creates it), as upstream allows for some kinds. */
  allowCreateOnUpdate?: boolean;
  /** Schemas for validation, patching and OpenAPI; absent: the built-in generated definitions. */
  schemaProvider?: SchemaProvider;
  /** Subresources served by code rather than the generic store (status/scale/finalize are built in). */
  subresourceHandlers?: Record<string, SubresourceHandler>;
  /** Create-only kinds answered without storage. */
  virtual?: VirtualResource;
}

export const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const apiVersionOf = (group: string, version: string) => (group ? `${group}/${version}` : version);
