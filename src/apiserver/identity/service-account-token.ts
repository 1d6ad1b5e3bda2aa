// Service account token claims: what a TokenRequest signs, and the checks a presented token must pass (upstream pkg/serviceaccount).
import { randomUUID } from 'node:crypto';
import type { KObject } from '../registry/kobject.ts';
import type { UserInfo } from '../registry/request-context.ts';

export const serviceAccountUsernamePrefix = 'system:serviceaccount:';
export const allServiceAccountsGroup = 'system:serviceaccounts';

/** jwt.DefaultLeeway: clock skew forgiven on exp, nbf and iat, and on deletion times. */
const leewaySeconds = 60;

export interface ObjectRef {
  name: string;
  uid: string;
}

export interface KubernetesClaim {
  namespace: string;
  serviceaccount: ObjectRef;
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: { name: string; uid?: string };
  /** Projected tokens given an extended lifetime: when the kubelet should have refreshed them. */
  warnafter?: number;
}

export interface TokenClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  'kubernetes.io': KubernetesClaim;
}

export const makeUsername = (namespace: string, name: string) => `${serviceAccountUsernamePrefix}${namespace}:${name}`;
export const makeGroupNames = (namespace: string) => [allServiceAccountsGroup, `${allServiceAccountsGroup}:${namespace}`];

const ref = (o: KObject): ObjectRef => ({ name: o.metadata.name ?? '', uid: o.metadata.uid ?? '' });

export interface ClaimsInput {
  serviceAccount: KObject;
  pod?: KObject;
  secret?: KObject;
  /** With a pod: the node it runs on (uid absent when the Node object is missing). Alone: the bound Node. */
  node?: KObject;
  expirationSeconds: number;
  audiences: string[];
  issuer: string;
  /** Seconds since the epoch. */
  now: number;
  /** Seconds after `now` from which using the token draws a warning (extended projected tokens). */
  warnAfterSeconds?: number;
}

/** Claims(): the public claims and the `kubernetes.io` private claim of a bound token. */
export function serviceAccountClaims(c: ClaimsInput): TokenClaims {
  const sa = c.serviceAccount;
  const k: KubernetesClaim = { namespace: sa.metadata.namespace ?? '', serviceaccount: ref(sa) };
  if (c.pod) {
    k.pod = ref(c.pod);
    if (c.node) k.node = c.node.metadata.uid ? ref(c.node) : { name: c.node.metadata.name ?? '' };
  } else if (c.secret) {
    k.secret = ref(c.secret);
  } else if (c.node) {
    k.node = ref(c.node);
  }
  if (c.warnAfterSeconds) k.warnafter = c.now + c.warnAfterSeconds;
  return {
    iss: c.issuer,
    sub: makeUsername(sa.metadata.namespace ?? '', sa.metadata.name ?? ''),
    aud: c.audiences,
    exp: c.now + c.expirationSeconds,
    iat: c.now,
    nbf: c.now,
    jti: randomUUID(),
    'kubernetes.io': k,
  };
}

/** What a verified token says about its bearer (ServiceAccountInfo). */
export interface ServiceAccountInfo {
  namespace: string;
  name: string;
  uid: string;
  podName?: string;
  podUID?: string;
  nodeName?: string;
  nodeUID?: string;
  credentialId?: string;
}

/** ServiceAccountInfo.UserInfo() plus the group every authenticated user has. */
export function userInfoOf(sa: ServiceAccountInfo): UserInfo {
  const extra: Record<string, string[]> = {};
  if (sa.podName && sa.podUID) {
    extra['authentication.kubernetes.io/pod-name'] = [sa.podName];
    extra['authentication.kubernetes.io/pod-uid'] = [sa.podUID];
  }
  if (sa.credentialId) extra['authentication.kubernetes.io/credential-id'] = [sa.credentialId];
  if (sa.nodeName) {
    extra['authentication.kubernetes.io/node-name'] = [sa.nodeName];
    if (sa.nodeUID) extra['authentication.kubernetes.io/node-uid'] = [sa.nodeUID];
  }
  const user: UserInfo = {
    name: makeUsername(sa.namespace, sa.name),
    uid: sa.uid,
    groups: [...makeGroupNames(sa.namespace), 'system:authenticated'],
  };
  if (Object.keys(extra).length) user.extra = extra;
  return user;
}

/** A token that was recognised but fails a check; the message is upstream's (it ends up in TokenReview status.error). */
export class TokenValidationError extends Error {
  readonly code = 'IDENTITY_TOKEN_INVALID';
}

/** Reads the objects a token is bound to; undefined when absent. */
export interface BoundObjectGetter {
  serviceAccount(namespace: string, name: string): Promise<KObject | undefined>;
  secret(namespace: string, name: string): Promise<KObject | undefined>;
  pod(namespace: string, name: string): Promise<KObject | undefined>;
  node(name: string): Promise<KObject | undefined>;
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const deletedBefore = (o: KObject, limitMs: number) => !!o.metadata.deletionTimestamp && Date.parse(o.metadata.deletionTimestamp) < limitMs;

function objectRef(v: unknown): { name: string; uid: string } | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  const r = v as { name?: unknown; uid?: unknown };
  return { name: typeof r.name === 'string' ? r.name : '', uid: typeof r.uid === 'string' ? r.uid : '' };
}

/** validator.Validate: times, then that the service account and bound objects still exist with the same uid. */
export async function validateServiceAccountClaims(payload: Record<string, unknown>, getter: BoundObjectGetter, nowMs: number): Promise<ServiceAccountInfo> {
  const now = nowMs / 1000;
  const exp = num(payload.exp);
  const nbf = num(payload.nbf);
  const iat = num(payload.iat);
  if (exp !== undefined && now - leewaySeconds > exp) throw new TokenValidationError('service account token has expired');
  if (nbf !== undefined && now + leewaySeconds < nbf) throw new TokenValidationError('service account token is not valid yet');
  if (iat !== undefined && now + leewaySeconds < iat) throw new TokenValidationError('service account token is issued in the future');

  const k = (payload['kubernetes.io'] ?? {}) as Record<string, unknown>;
  const namespace = typeof k.namespace === 'string' ? k.namespace : '';
  const saRef = objectRef(k.serviceaccount) ?? { name: '', uid: '' };
  const podRef = objectRef(k.pod);
  const secretRef = objectRef(k.secret);
  const nodeRef = objectRef(k.node);
  const invalidIfDeletedBefore = nowMs - leewaySeconds * 1000;

  const sa = await getter.serviceAccount(namespace, saRef.name);
  if (!sa) throw new TokenValidationError(`serviceaccounts "${saRef.name}" not found`);
  if (sa.metadata.uid !== saRef.uid) throw new TokenValidationError(`service account UID (${sa.metadata.uid}) does not match claim (${saRef.uid})`);
  if (deletedBefore(sa, invalidIfDeletedBefore)) throw new TokenValidationError(`service account ${namespace}/${saRef.name} has been deleted`);

  if (secretRef) {
    const secret = await getter.secret(namespace, secretRef.name);
    if (!secret || deletedBefore(secret, invalidIfDeletedBefore)) throw new TokenValidationError('service account token has been invalidated');
    if (secret.metadata.uid !== secretRef.uid) {
      throw new TokenValidationError(`secret UID (${secret.metadata.uid}) does not match service account secret ref claim (${secretRef.uid})`);
    }
  }
  const info: ServiceAccountInfo = { namespace, name: saRef.name, uid: saRef.uid };
  if (podRef) {
    const pod = await getter.pod(namespace, podRef.name);
    if (!pod || deletedBefore(pod, invalidIfDeletedBefore)) throw new TokenValidationError('service account token has been invalidated');
    if (pod.metadata.uid !== podRef.uid) throw new TokenValidationError(`pod UID (${pod.metadata.uid}) does not match service account pod ref claim (${podRef.uid})`);
    info.podName = podRef.name;
    info.podUID = podRef.uid;
  }
  if (nodeRef) {
    if (podRef) {
      info.nodeName = nodeRef.name;
      if (nodeRef.uid) info.nodeUID = nodeRef.uid;
    } else {
      const node = await getter.node(nodeRef.name);
      if (!node) throw new TokenValidationError('service account token has been invalidated');
      if (node.metadata.uid !== nodeRef.uid) throw new TokenValidationError(`node UID (${node.metadata.uid}) does not match service account node ref claim (${nodeRef.uid})`);
      info.nodeName = nodeRef.name;
      info.nodeUID = nodeRef.uid;
    }
  }
  if (typeof payload.jti === 'string' && payload.jti) info.credentialId = `JTI=${payload.jti}`;
  return info;
}
