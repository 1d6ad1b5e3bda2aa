// LocalSubjectAccessReview: a SubjectAccessReview confined to one namespace, which namespace admins may create.
import { StatusError } from '../../../../machinery/status-error.ts';
import type { ResourceDefinition } from '../../../registry/resource.ts';
import { accessStatus, group, resourceAttributesFrom, reviewDefinition, type AccessReviewer } from '../access-review.ts';
import { subjectOf } from '../subjectaccessreview/review.ts';
import { validateLocalSubjectAccessReview } from '../validation.ts';

export function localSubjectAccessReview(authz: AccessReviewer): ResourceDefinition {
  return reviewDefinition('LocalSubjectAccessReview', 'localsubjectaccessreviews', true, async (obj, _ctx, namespace) => {
    const errs = validateLocalSubjectAccessReview(obj);
    if (errs.length) throw StatusError.invalid({ group, kind: 'LocalSubjectAccessReview' }, '', errs);
    if (!namespace) throw StatusError.badRequest(`namespace is required on this type: ${namespace ?? ''}`);
    if (namespace !== obj.metadata.namespace) throw StatusError.badRequest(`spec.resourceAttributes.namespace must match namespace: ${namespace}`);
    const spec = obj.spec as Record<string, unknown>;
    const decision = await authz.authorize(resourceAttributesFrom(subjectOf(spec), spec.resourceAttributes ?? {}));
    return { ...obj, metadata: { ...obj.metadata, creationTimestamp: null }, status: accessStatus(decision) };
  });
}
