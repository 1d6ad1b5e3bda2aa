// `POST …/serviceaccounts/{name}/token`: issues a bound, expiring service account token (authentication.k8s.io/v1 TokenRequest).
import { StatusError } from '../../machinery/status-error.ts';
import { FieldPath, fieldInvalid } from '../../machinery/field-errors.ts';
import { BuiltinSchemas } from '../openapi/builtin-schemas.ts';
import type { KObject } from '../registry/kobject.ts';
import type { Registry } from '../registry/registry.ts';
import type { SubresourceHandler, SubresourceRequest } from '../registry/resource.ts';
import { nowTimestamp } from '../registry/store.ts';
import { signJwt } from './jwt.ts';
import type { SigningKey } from './signing-key.ts';
import { serviceAccountClaims } from './service-account-token.ts';

const group = 'authentication.k8s.io';
const gk = { group, kind: 'TokenRequest' };
const apiVersion = `${group}/v1`;
const defaultExpirationSeconds = 3600;
const minExpirationSeconds = 600;
const maxExpirationSeconds = 2 ** 32;
/** What the kubelet asks for projected volumes; such pod-bound tokens live a year and warn after the hour. */
const warnOnlyBoundTokenExpirationSeconds = 60 * 60 + 7;
const expirationExtensionSeconds = 24 * 365 * 60 * 60;

export interface TokenRequestDeps {
  registry: Registry;
  key: () => SigningKey;
  issuer: () => string;
  audiences: () => string[];
}

const schemas = new BuiltinSchemas(group, 'TokenRequest');

async function getOrUndefined(registry: Registry, resource: string, namespace: string | undefined, name: string): Promise<KObject | undefined> {
  try {
    return await registry.store('', resource)!.get(namespace, name);
  } catch (e) {
    if (e instanceof StatusError && e.code === 404) return undefined;
    throw e;
  }
}

/** Decodes the body as a TokenRequest, honouring `fieldValidation` like any create. */
async function readTokenRequest(r: SubresourceRequest): Promise<KObject> {
  const obj = await r.readObject();
  if (obj.apiVersion !== undefined && obj.apiVersion !== apiVersion) {
    throw StatusError.badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${apiVersion})`);
  }
  if (obj.kind !== undefined && obj.kind !== 'TokenRequest') {
    throw StatusError.badRequest(`${obj.kind} in version "v1" cannot be handled as a TokenRequest: no kind "${obj.kind}" is registered for version "${apiVersion}"`);
  }
  const typeError = schemas.typeError('v1', obj);
  if (typeError) throw StatusError.badRequest(`TokenRequest in version "v1" cannot be handled as a TokenRequest: ${typeError}`);
  const mode = r.url.searchParams.get('fieldValidation') || 'Warn';
  if (mode !== 'Ignore') {
    const unknown = schemas.unknownFields('v1', obj);
    if (unknown.length && mode === 'Strict') {
      throw StatusError.badRequest(
        `TokenRequest in version "v1" cannot be handled as a TokenRequest: strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`,
      );
    }
    for (const f of unknown) r.ctx.warnings.push(`unknown field "${f}"`);
  }
  schemas.normalize('v1', obj);
  obj.metadata ??= {};
  return obj;
}

/** TokenREST.Create. */
async function createToken(deps: TokenRequestDeps, r: SubresourceRequest): Promise<void> {
  const namespace = r.namespace;
  if (!namespace) throw StatusError.badRequest('namespace is required');
  const name = r.name;
  const req = await readTokenRequest(r);
  req.spec = req.spec && typeof req.spec === 'object' ? req.spec : {};
  req.spec.expirationSeconds ??= defaultExpirationSeconds;

  if (req.metadata.name && req.metadata.name !== name) {
    throw StatusError.invalid(gk, name, [fieldInvalid(FieldPath.root('metadata').child('name'), req.metadata.name, 'must match the service account name if specified')]);
  }
  if (req.metadata.namespace && req.metadata.namespace !== namespace) {
    throw StatusError.invalid(gk, name, [
      fieldInvalid(FieldPath.root('metadata').child('namespace'), req.metadata.namespace, 'must match the service account namespace if specified'),
    ]);
  }
  const sa = await r.store.get(namespace, name);
  const apiAudiences = deps.audiences();
  if (!Array.isArray(req.spec.audiences) || req.spec.audiences.length === 0) req.spec.audiences = [...apiAudiences];
  const nowMs = Date.now();
  req.metadata = { name: sa.metadata.name, namespace: sa.metadata.namespace, creationTimestamp: nowTimestamp() };
  delete req.status;

  const exp = req.spec.expirationSeconds;
  const errs = [];
  const at = FieldPath.root('spec').child('expirationSeconds');
  if (exp < minExpirationSeconds) errs.push(fieldInvalid(at, exp, 'may not specify a duration less than 10 minutes'));
  if (exp > maxExpirationSeconds) errs.push(fieldInvalid(at, exp, 'may not specify a duration larger than 2^32 seconds'));
  if (errs.length) throw StatusError.invalid(gk, '', errs);

  let pod: KObject | undefined;
  let secret: KObject | undefined;
  let node: KObject | undefined;
  const ref = req.spec.boundObjectRef;
  if (ref && typeof ref === 'object') {
    const refGroup = typeof ref.apiVersion === 'string' && ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
    const refVersion = typeof ref.apiVersion === 'string' ? ref.apiVersion.split('/').pop() : '';
    const refName = typeof ref.name === 'string' ? ref.name : '';
    let uid: string | undefined;
    if (refGroup === '' && ref.kind === 'Pod') {
      pod = await registryGet(deps.registry, 'pods', namespace, refName);
      if (name !== pod.spec?.serviceAccountName) {
        throw StatusError.badRequest(`cannot bind token for serviceaccount "${name}" to pod running with different serviceaccount name.`);
      }
      uid = pod.metadata.uid;
      const nodeName = pod.spec?.nodeName;
      if (nodeName) node = (await getOrUndefined(deps.registry, 'nodes', undefined, nodeName)) ?? { metadata: { name: nodeName } };
    } else if (refGroup === '' && ref.kind === 'Node') {
      node = await registryGet(deps.registry, 'nodes', undefined, refName);
      uid = node.metadata.uid;
    } else if (refGroup === '' && ref.kind === 'Secret') {
      secret = await registryGet(deps.registry, 'secrets', namespace, refName);
      uid = secret.metadata.uid;
    } else {
      throw StatusError.badRequest(`cannot bind token to object of type ${groupVersionKindString(refGroup, refVersion ?? '', String(ref.kind ?? ''))}`);
    }
    if (ref.uid && uid !== ref.uid) {
      throw StatusError.conflict(
        { group: refGroup, resource: String(ref.kind) },
        refName,
        `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
      );
    }
  }

  let lifetime = exp;
  let warnAfterSeconds: number | undefined;
  const kubeAudiences = (req.spec.audiences as string[]).every((a) => apiAudiences.includes(a));
  if (pod && exp === warnOnlyBoundTokenExpirationSeconds && kubeAudiences) {
    warnAfterSeconds = exp;
    lifetime = expirationExtensionSeconds;
  }
  const now = Math.floor(nowMs / 1000);
  const claims = serviceAccountClaims({
    serviceAccount: sa,
    pod,
    secret,
    node,
    expirationSeconds: lifetime,
    warnAfterSeconds,
    audiences: req.spec.audiences,
    issuer: deps.issuer(),
    now,
  });
  const token = signJwt({ ...claims }, deps.key());
  r.send(201, {
    kind: 'TokenRequest',
    apiVersion,
    ...req,
    status: { token, expirationTimestamp: new Date((now + exp) * 1000).toISOString().replace(/\.\d+Z$/, 'Z') },
  });
}

async function registryGet(registry: Registry, resource: string, namespace: string | undefined, name: string): Promise<KObject> {
  return registry.store('', resource)!.get(namespace, name);
}

/** schema.GroupVersionKind.String(): `/v1, Kind=Foo` for the core group, `g/v, Kind=K` otherwise. */
function groupVersionKindString(group: string, version: string, kind: string): string {
  return `${group}/${version}, Kind=${kind}`;
}

export function tokenRequestHandler(deps: TokenRequestDeps): SubresourceHandler {
  return {
    methods: ['POST'],
    verbs: ['create'],
    responseKind: { group, version: 'v1', kind: 'TokenRequest' },
    handle: (r) => createToken(deps, r),
  };
}
