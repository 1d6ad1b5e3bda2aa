// SelfSubjectAccessReview (`kubectl auth can-i`): may I, as I am authenticated (or impersonating), do this?
import { StatusError } from '../../../../machinery/status-error.ts';
import type { ResourceDefinition } from '../../../registry/resource.ts';
import { accessStatus, group, nonResourceAttributesFrom, resourceAttributesFrom, reviewDefinition, type AccessReviewer } from '../access-review.ts';
import { validateSelfSubjectAccessReview } from '../validation.ts';

export function selfSubjectAccessReview(authz: AccessReviewer): ResourceDefinition {
  return reviewDefinition('SelfSubjectAccessReview', 'selfsubjectaccessreviews', false, async (obj, ctx) => {
    const errs = validateSelfSubjectAccessReview(obj);
    if (errs.length) throw StatusError.invalid({ group, kind: 'SelfSubjectAccessReview' }, '', errs);
    const spec = obj.spec as Record<string, unknown>;
    const attrs = spec.resourceAttributes ? resourceAttributesFrom(ctx.user, spec.resourceAttributes) : nonResourceAttributesFrom(ctx.user, spec.nonResourceAttributes ?? {});
    const decision = await authz.authorize(attrs);
    return { ...obj, metadata: { ...obj.metadata, creationTimestamp: null }, status: accessStatus(decision) };
  });
}
