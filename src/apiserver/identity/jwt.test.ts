import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { parseJwt, signJwt, sortedJson, verifyJwtSignature } from './jwt.ts';
import { signingKeyFrom } from './signing-key.ts';

const rsa = signingKeyFrom(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
const ec = signingKeyFrom(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);

test('claims are serialised with sorted keys at every depth, as Go marshals a map', () => {
  assert.equal(sortedJson({ sub: 'a', aud: ['x'], 'kubernetes.io': { serviceaccount: { uid: 'u', name: 'n' }, namespace: 'ns' } }),
    '{"aud":["x"],"kubernetes.io":{"namespace":"ns","serviceaccount":{"name":"n","uid":"u"}},"sub":"a"}');
});

test('RS256 and ES256 tokens round-trip and carry alg and kid', () => {
  for (const key of [rsa, ec]) {
    const token = signJwt({ sub: 'system:serviceaccount:a:b', exp: 1 }, key);
    const jwt = parseJwt(token)!;
    assert.deepEqual(jwt.header, { alg: key.alg, kid: key.keyId });
    assert.deepEqual(jwt.payload, { exp: 1, sub: 'system:serviceaccount:a:b' });
    assert.equal(verifyJwtSignature(jwt, key.publicKey, key.alg), true, key.alg);
  }
  assert.equal(rsa.alg, 'RS256');
  assert.equal(ec.alg, 'ES256');
  assert.match(rsa.keyId, /^[A-Za-z0-9_-]{43}$/);
});

test('tampered, foreign-signed, alg-swapped and malformed tokens are rejected', () => {
  const token = signJwt({ sub: 'a' }, rsa);
  const [h, , s] = token.split('.');
  const forged = `${h}.${Buffer.from('{"sub":"admin"}').toString('base64url')}.${s}`;
  assert.equal(verifyJwtSignature(parseJwt(forged)!, rsa.publicKey, rsa.alg), false, 'payload changed');
  const other = signingKeyFrom(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
  assert.equal(verifyJwtSignature(parseJwt(signJwt({ sub: 'a' }, other))!, rsa.publicKey, rsa.alg), false, 'another key');
  const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"a"}').toString('base64url')}.`;
  assert.equal(verifyJwtSignature(parseJwt(none)!, rsa.publicKey, rsa.alg), false, 'alg none');
  for (const bad of ['', 'abc', 'a.b', 'a.b.c.d', '!!.e30.', `${h}.not-json.${s}`]) assert.equal(parseJwt(bad), undefined, bad);
});
