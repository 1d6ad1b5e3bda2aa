// The shape of the authentication.k8s.io/v1 create-only kinds (SelfSubjectReview, TokenReview).
import type { ResourceDefinition, VirtualResource } from '../../registry/resource.ts';

export const group = 'authentication.k8s.io';

export function authenticationReview(kind: string, resource: string, create: VirtualResource['create']): ResourceDefinition {
  return {
    group,
    versions: [{ version: 'v1' }],
    storageVersion: 'v1',
    kind,
    listKind: `${kind}List`,
    resource,
    singular: kind.toLowerCase(),
    namespaced: false,
    verbs: ['create'],
    subresources: {},
    strategy: {},
    virtual: { create },
  };
}

/** authentication/v1 UserInfo with its omitempty fields left out. */
export function userInfoStatus(u: { name: string; uid?: string; groups: string[]; extra?: Record<string, string[]> }): Record<string, unknown> {
  const out: Record<string, unknown> = { username: u.name };
  if (u.uid) out.uid = u.uid;
  if (u.groups.length) out.groups = u.groups;
  if (u.extra && Object.keys(u.extra).length) out.extra = u.extra;
  return out;
}
