// SubjectAccessReview: may this user (with these groups) do this? Asked of the cluster's authorizer as is, without adding groups.
import { StatusError } from '../../../../machinery/status-error.ts';
import type { ResourceDefinition } from '../../../registry/resource.ts';
import type { UserInfo } from '../../../registry/request-context.ts';
import { accessStatus, group, nonResourceAttributesFrom, resourceAttributesFrom, reviewDefinition, type AccessReviewer } from '../access-review.ts';
import { validateSubjectAccessReview } from '../validation.ts';

/** The subject a SubjectAccessReviewSpec names (AuthorizationAttributesFrom). */
export function subjectOf(spec: Record<string, unknown>): UserInfo {
  const user: UserInfo = {
    name: typeof spec.user === 'string' ? spec.user : '',
    groups: Array.isArray(spec.groups) ? spec.groups.filter((g): g is string => typeof g === 'string') : [],
  };
  if (typeof spec.uid === 'string' && spec.uid) user.uid = spec.uid;
  if (spec.extra && typeof spec.extra === 'object') user.extra = spec.extra as Record<string, string[]>;
  return user;
}

export function subjectAccessReview(authz: AccessReviewer): ResourceDefinition {
  return reviewDefinition('SubjectAccessReview', 'subjectaccessreviews', false, async (obj) => {
    const errs = validateSubjectAccessReview(obj);
    if (errs.length) throw StatusError.invalid({ group, kind: 'SubjectAccessReview' }, '', errs);
    const spec = obj.spec as Record<string, unknown>;
    const user = subjectOf(spec);
    const attrs = spec.resourceAttributes ? resourceAttributesFrom(user, spec.resourceAttributes) : nonResourceAttributesFrom(user, spec.nonResourceAttributes ?? {});
    const decision = await authz.authorize(attrs);
    return { ...obj, metadata: { ...obj.metadata, creationTimestamp: null }, status: accessStatus(decision) };
  });
}
