import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestContext } from '../../registry/request-context.ts';
import { authenticationResources } from './index.ts';
import type { TokenReviewer } from './tokenreview/review.ts';

const reviewer: TokenReviewer = {
  audiences: () => ['https://api'],
  async authenticateToken(token, audiences) {
    if (token === 'good') return { user: { name: 'system:serviceaccount:a:b', uid: 'u', groups: ['system:serviceaccounts', 'system:authenticated'] }, audiences: audiences ?? [] };
    if (token === 'expired') throw new Error('service account token has expired');
    return undefined;
  },
};
const defs = Object.fromEntries(authenticationResources(reviewer).map((d) => [d.kind, d]));
const ctx: RequestContext = { user: { name: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] }, dryRun: false, warnings: [] };

test('SelfSubjectReview reports the requesting user', async () => {
  const r = await defs.SelfSubjectReview.virtual!.create({ metadata: {} }, ctx, undefined);
  assert.deepEqual(r.status, { userInfo: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] } });
  assert.match(String(r.metadata.creationTimestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});

test('TokenReview authenticates the token for the audiences asked, or says why not', async () => {
  const review = (token: string, audiences?: string[]) => defs.TokenReview.virtual!.create({ metadata: {}, spec: { token, ...(audiences ? { audiences } : {}) } }, ctx, undefined);
  assert.deepEqual((await review('good')).status, {
    authenticated: true,
    user: { username: 'system:serviceaccount:a:b', uid: 'u', groups: ['system:serviceaccounts', 'system:authenticated'] },
    audiences: ['https://api'],
  });
  assert.deepEqual((await review('expired')).status, { error: '[invalid bearer token, service account token has expired]' });
  assert.deepEqual((await review('who')).status, { error: 'invalid bearer token' });
  await assert.rejects(review(''), { message: 'token is required for TokenReview in authentication' });
});
