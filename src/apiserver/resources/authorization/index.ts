// The authorization.k8s.io/v1 reviews, answered by the cluster's authorizer and never stored.
import type { ResourceDefinition } from '../../registry/resource.ts';
import type { AccessReviewer } from './access-review.ts';
import { localSubjectAccessReview } from './localsubjectaccessreview/review.ts';
import { selfSubjectAccessReview } from './selfsubjectaccessreview/review.ts';
import { selfSubjectRulesReview } from './selfsubjectrulesreview/review.ts';
import { subjectAccessReview } from './subjectaccessreview/review.ts';

export function authorizationResources(authz: AccessReviewer): ResourceDefinition[] {
  return [localSubjectAccessReview(authz), selfSubjectAccessReview(authz), selfSubjectRulesReview(authz), subjectAccessReview(authz)];
}
