// TokenReview: is this bearer token valid for these audiences, and whose is it? Answered by the cluster's token authenticator.
import { StatusError } from '../../../../machinery/status-error.ts';
import type { ResourceDefinition } from '../../../registry/resource.ts';
import type { UserInfo } from '../../../registry/request-context.ts';
import { authenticationReview, userInfoStatus } from '../review-definition.ts';

export interface TokenReviewer {
  /** undefined: not a token this cluster knows; throws an Error with upstream's text when it is one but invalid. */
  authenticateToken(token: string, audiences?: string[]): Promise<{ user: UserInfo; audiences: string[] } | undefined>;
  /** The API server's audiences, used when the review names none. */
  audiences(): string[];
}

export function tokenReview(reviewer: TokenReviewer): ResourceDefinition {
  return authenticationReview('TokenReview', 'tokenreviews', async (obj, _ctx, namespace) => {
    if (namespace) throw StatusError.badRequest(`namespace is not allowed on this type: ${namespace}`);
    const token = typeof obj.spec?.token === 'string' ? obj.spec.token : '';
    if (!token) throw StatusError.badRequest('token is required for TokenReview in authentication');
    const given = Array.isArray(obj.spec?.audiences) ? (obj.spec.audiences as string[]) : [];
    const audiences = given.length ? given : reviewer.audiences();
    const status: Record<string, unknown> = {};
    try {
      const r = await reviewer.authenticateToken(token, audiences);
      if (r) {
        if (audiences.length && !r.audiences.some((a) => audiences.includes(a))) throw StatusError.internal(new Error('error validating audiences'));
        status.authenticated = true;
        status.user = userInfoStatus(r.user);
        status.audiences = r.audiences;
      } else {
        status.error = 'invalid bearer token';
      }
    } catch (e) {
      if (e instanceof StatusError) throw e;
      status.error = `[invalid bearer token, ${(e as Error).message}]`;
    }
    return { ...obj, metadata: { ...obj.metadata, creationTimestamp: null }, status };
  });
}
