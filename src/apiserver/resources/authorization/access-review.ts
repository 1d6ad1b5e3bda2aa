// What the authorization.k8s.io reviews share: the authorizer they ask, request attributes from a spec, and the status they report.
import type { Decision, RequestAttributes } from '../../auth/authorizer.ts';
import type { ResourceDefinition, VirtualResource } from '../../registry/resource.ts';
import type { UserInfo } from '../../registry/request-context.ts';

export const group = 'authorization.k8s.io';

export interface ReviewRules {
  resourceRules: { verbs: string[]; apiGroups: string[]; resources: string[]; resourceNames: string[] }[];
  nonResourceRules: { verbs: string[]; nonResourceURLs: string[] }[];
  incomplete: boolean;
  evaluationError?: string;
}

/** The authorizer the reviews ask (the one that decides every request). */
export interface AccessReviewer {
  authorize(a: RequestAttributes): Promise<Decision>;
  rulesFor(user: UserInfo, namespace: string): ReviewRules;
}

export interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

export interface NonResourceAttributes {
  path?: string;
  verb?: string;
}

/** ResourceAttributesFrom: an empty version means every version. */
export function resourceAttributesFrom(user: UserInfo, r: ResourceAttributes): RequestAttributes {
  return {
    user,
    verb: r.verb ?? '',
    resourceRequest: true,
    path: '',
    apiGroup: r.group ?? '',
    apiVersion: r.version || '*',
    resource: r.resource ?? '',
    subresource: r.subresource ?? '',
    namespace: r.namespace ?? '',
    name: r.name ?? '',
  };
}

export function nonResourceAttributesFrom(user: UserInfo, r: NonResourceAttributes): RequestAttributes {
  return { user, verb: r.verb ?? '', resourceRequest: false, path: r.path ?? '', apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '' };
}

/** SubjectAccessReviewStatus, with the omitempty fields left out. */
export function accessStatus(d: Decision): Record<string, unknown> {
  const status: Record<string, unknown> = { allowed: d.allowed };
  if (d.reason) status.reason = d.reason;
  return status;
}

/** A create-only kind of this group, answered at once by `create`. */
export function reviewDefinition(kind: string, resource: string, namespaced: boolean, create: VirtualResource['create']): ResourceDefinition {
  return {
    group,
    versions: [{ version: 'v1' }],
    storageVersion: 'v1',
    kind,
    listKind: `${kind}List`,
    resource,
    singular: kind.toLowerCase(),
    namespaced,
    verbs: ['create'],
    subresources: {},
    strategy: {},
    virtual: { create },
  };
}
