import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { InvalidCredentialError } from '../auth/authenticator.ts';
import type { KObject } from '../registry/kobject.ts';
import { signJwt } from './jwt.ts';
import { serviceAccountClaims, type BoundObjectGetter } from './service-account-token.ts';
import { signingKeyFrom } from './signing-key.ts';
import { ServiceAccountTokenAuthenticator } from './token-authenticator.ts';

const key = signingKeyFrom(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
const issuer = 'https://127.0.0.1:6443';
const now = 1_800_000_000;

const sa: KObject = { metadata: { name: 'default', namespace: 'shop', uid: 'sa-uid' } };
const pod: KObject = { metadata: { name: 'web-1', namespace: 'shop', uid: 'pod-uid' }, spec: { serviceAccountName: 'default', nodeName: 'node-a' } };
const node: KObject = { metadata: { name: 'node-a', uid: 'node-uid' } };
const secret: KObject = { metadata: { name: 's', namespace: 'shop', uid: 'secret-uid' } };

function getter(objects: { sa?: KObject; pod?: KObject; secret?: KObject; node?: KObject } = { sa, pod, secret, node }): BoundObjectGetter {
  return {
    serviceAccount: async (ns, n) => (objects.sa?.metadata.namespace === ns && objects.sa.metadata.name === n ? objects.sa : undefined),
    pod: async (ns, n) => (objects.pod?.metadata.namespace === ns && objects.pod.metadata.name === n ? objects.pod : undefined),
    secret: async (ns, n) => (objects.secret?.metadata.namespace === ns && objects.secret.metadata.name === n ? objects.secret : undefined),
    node: async (n) => (objects.node?.metadata.name === n ? objects.node : undefined),
  };
}

const authenticator = (g = getter(), at = now) =>
  new ServiceAccountTokenAuthenticator({ key: () => key, issuer: () => issuer, audiences: () => [issuer], getter: g, now: () => at * 1000 });

const token = (over: Partial<Parameters<typeof serviceAccountClaims>[0]> = {}, patch: Record<string, unknown> = {}) =>
  signJwt({ ...serviceAccountClaims({ serviceAccount: sa, expirationSeconds: 3600, audiences: [issuer], issuer, now, ...over }), ...patch }, key);

const request = (authorization?: string) => ({ headers: authorization === undefined ? {} : { authorization } }) as unknown as IncomingMessage;

test('claims are upstream’s: subject, audiences, times, and the kubernetes.io claim of the bound objects', () => {
  const c = serviceAccountClaims({ serviceAccount: sa, pod, node, expirationSeconds: 600, audiences: ['vault'], issuer, now });
  assert.equal(c.sub, 'system:serviceaccount:shop:default');
  assert.deepEqual(c.aud, ['vault']);
  assert.deepEqual([c.iat, c.nbf, c.exp], [now, now, now + 600]);
  assert.match(c.jti, /^[0-9a-f-]{36}$/);
  assert.deepEqual(c['kubernetes.io'], {
    namespace: 'shop',
    serviceaccount: { name: 'default', uid: 'sa-uid' },
    pod: { name: 'web-1', uid: 'pod-uid' },
    node: { name: 'node-a', uid: 'node-uid' },
  });
});

test('a valid token authenticates as the service account, with its groups and pod/node extras', async () => {
  const r = await authenticator().authenticateToken(token({ pod, node }));
  assert.ok(r);
  assert.equal(r.user.name, 'system:serviceaccount:shop:default');
  assert.equal(r.user.uid, 'sa-uid');
  assert.deepEqual(r.user.groups, ['system:serviceaccounts', 'system:serviceaccounts:shop', 'system:authenticated']);
  assert.deepEqual(Object.keys(r.user.extra ?? {}).sort(), [
    'authentication.kubernetes.io/credential-id',
    'authentication.kubernetes.io/node-name',
    'authentication.kubernetes.io/node-uid',
    'authentication.kubernetes.io/pod-name',
    'authentication.kubernetes.io/pod-uid',
  ]);
  assert.deepEqual(r.audiences, [issuer]);
  const u = await authenticator().authenticate(request(`Bearer ${token()}`));
  assert.equal(u?.name, 'system:serviceaccount:shop:default');
});

test('tokens are rejected with upstream messages', async () => {
  const cases: [string, Promise<unknown>, string][] = [
    ['expired beyond the leeway', authenticator(getter(), now + 3600 + 61).authenticateToken(token()), 'service account token has expired'],
    ['not valid yet', authenticator(getter(), now - 120).authenticateToken(token()), 'service account token is not valid yet'],
    ['wrong audience', authenticator().authenticateToken(token({ audiences: ['vault'] })), `token audiences ["vault"] is invalid for the target audiences ["${issuer}"]`],
    ['service account gone', authenticator(getter({})).authenticateToken(token()), 'serviceaccounts "default" not found'],
    [
      'service account recreated',
      authenticator(getter({ sa: { metadata: { ...sa.metadata, uid: 'new' } } })).authenticateToken(token()),
      'service account UID (new) does not match claim (sa-uid)',
    ],
    ['bound pod deleted', authenticator(getter({ sa })).authenticateToken(token({ pod })), 'service account token has been invalidated'],
    [
      'bound pod recreated',
      authenticator(getter({ sa, pod: { ...pod, metadata: { ...pod.metadata, uid: 'p2' } } })).authenticateToken(token({ pod })),
      'pod UID (p2) does not match service account pod ref claim (pod-uid)',
    ],
    ['bound secret deleted', authenticator(getter({ sa })).authenticateToken(token({ secret })), 'service account token has been invalidated'],
    ['bound node deleted', authenticator(getter({ sa })).authenticateToken(token({ node })), 'service account token has been invalidated'],
    ['bad signature', authenticator().authenticateToken(token().replace(/.{4}$/, 'AAAA')), 'go-jose/go-jose: error in cryptographic primitive'],
  ];
  for (const [name, p, message] of cases) await assert.rejects(p, { message }, name);
});

test('foreign tokens are not ours; on a request any unverifiable bearer token is a 401', async () => {
  assert.equal(await authenticator().authenticateToken(token({ issuer: 'https://elsewhere' })), undefined);
  assert.equal(await authenticator().authenticateToken('not-a-jwt'), undefined);
  assert.equal(await authenticator().authenticate(request()), undefined);
  assert.equal(await authenticator().authenticate(request('Basic abc')), undefined);
  for (const h of ['Bearer not-a-jwt', 'Bearer  spaced', `Bearer ${token({ issuer: 'https://elsewhere' })}`, `Bearer ${token({ audiences: ['x'] })}`]) {
    await assert.rejects(authenticator().authenticate(request(h)), InvalidCredentialError, h);
  }
});

test('a token carried as a WebSocket subprotocol authenticates and is removed from the offered protocols', async () => {
  const { WebSocketTokenAuthenticator, bearerProtocolPrefix } = await import('./websocket-token-authenticator.ts');
  const ws = new WebSocketTokenAuthenticator(authenticator());
  const upgrade = (protocols: string) =>
    ({ headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-protocol': protocols } }) as unknown as IncomingMessage;
  const req = upgrade(`v5.channel.k8s.io, ${bearerProtocolPrefix}${Buffer.from(token()).toString('base64url')}`);
  assert.equal((await ws.authenticate(req))?.name, 'system:serviceaccount:shop:default');
  assert.equal(req.headers['sec-websocket-protocol'], 'v5.channel.k8s.io');
  assert.equal(await ws.authenticate(upgrade('v5.channel.k8s.io')), undefined);
  await assert.rejects(ws.authenticate(upgrade(`${bearerProtocolPrefix}${Buffer.from(token()).toString('base64url')}`)), { message: 'missing additional subprotocol' });
  assert.equal(await ws.authenticate(request(`Bearer ${token()}`)), undefined, 'not a WebSocket upgrade');
});
