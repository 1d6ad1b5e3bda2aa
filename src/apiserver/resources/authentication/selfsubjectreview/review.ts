// SelfSubjectReview (`kubectl auth whoami`): the user this request was authenticated (or impersonated) as.
import type { ResourceDefinition } from '../../../registry/resource.ts';
import { nowTimestamp } from '../../../registry/store.ts';
import { authenticationReview, userInfoStatus } from '../review-definition.ts';

export function selfSubjectReview(): ResourceDefinition {
  return authenticationReview('SelfSubjectReview', 'selfsubjectreviews', async (_obj, ctx) => ({
    metadata: { creationTimestamp: nowTimestamp() },
    status: { userInfo: userInfoStatus(ctx.user) },
  }));
}
