// The authentication.k8s.io/v1 create-only kinds: SelfSubjectReview and TokenReview.
import type { ResourceDefinition } from '../../registry/resource.ts';
import { selfSubjectReview } from './selfsubjectreview/review.ts';
import { tokenReview, type TokenReviewer } from './tokenreview/review.ts';

export function authenticationResources(reviewer: TokenReviewer): ResourceDefinition[] {
  return [selfSubjectReview(), tokenReview(reviewer)];
}
