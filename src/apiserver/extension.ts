// How optional parts of the API server plug in (identity, CRDs, protobuf, field management, Istio validation).
import type { ClusterPki } from './pki/certificates.ts';
import type { Registry } from './registry/registry.ts';
import type { Authenticator } from './auth/authenticator.ts';
import type { Authorizer } from './auth/authorizer.ts';
import type { FieldManager } from './fieldmanager/field-manager.ts';
import type { ProtobufDecoder } from './http/protobuf-decoder.ts';
import type { KObject } from './registry/kobject.ts';
import type { RequestContext } from './registry/request-context.ts';
import type { ResourceDefinition } from './registry/resource.ts';
import type { NodeProxy } from './node-proxy.ts';

/**
 * Admission: throws a StatusError to refuse. Validating admission runs after a kind's own validation, before the
 * write. Mutating admission (`mutating: true`) runs first, as upstream's mutating plugins run before the store: on
 * the decoded, defaulted object, before a `generateName` is turned into a name and before the kind's prepare and
 * validation; it may change the object.
 */
export interface Admission {
  readonly name: string;
  readonly mutating?: boolean;
  admit(op: 'create' | 'update', def: ResourceDefinition, obj: KObject, old: KObject | undefined, ctx: RequestContext): void | Promise<void>;
}

export interface ApiServerContext {
  readonly registry: Registry;
  readonly pki: ClusterPki;
  readonly dataDir: string;
  /** The service-account token issuer (and default audience): https://kubernetes.default.svc.cluster.local. */
  issuerUrl(): string;
  log(msg: string, fields?: Record<string, unknown>): void;
  /** Tried after client certificates, in the order added. */
  addAuthenticator(a: Authenticator): void;
  /** Replaces the default (system:masters may do anything, everyone else nothing). */
  setAuthorizer(a: Authorizer): void;
  setFieldManager(f: FieldManager): void;
  setProtobuf(p: ProtobufDecoder): void;
  addAdmission(a: Admission): void;
  /** Runs after storage and the watch hub are up and system namespaces exist, before the port opens. */
  onStart(fn: () => Promise<void>): void;
  /** Runs after every onStart hook, still before the port opens: waits for work those hooks queued (CRD status). */
  onSettle(fn: () => Promise<void>): void;
  onStop(fn: () => Promise<void>): void;
  /** The node agent's streaming endpoint, once the composition root has connected it (undefined before). */
  nodeProxy(): NodeProxy | undefined;
}

export interface ApiExtension {
  readonly name: string;
  install(ctx: ApiServerContext): void | Promise<void>;
}
