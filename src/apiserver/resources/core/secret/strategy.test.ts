import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, createSign } from 'node:crypto';
import type { KObject } from '../../../registry/kobject.ts';
import { strategy, x509KeyPairError } from './strategy.ts';
import { goJSONObjectError } from './validation.ts';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const secret = (o: Partial<KObject> = {}): KObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'swiggy-secrets', namespace: 'swiggy-prod' }, ...o });
const messages = (errs: { message(): string }[]) => errs.map((e) => e.message());

test('stringData is folded into data as base64 and never kept; type defaults to Opaque', () => {
  const cases: { name: string; input: KObject; data: Record<string, string> | undefined; type: string }[] = [
    { name: 'stringData only', input: secret({ stringData: { password: 'hunter2' } }), data: { password: b64('hunter2') }, type: 'Opaque' },
    {
      name: 'stringData wins over data',
      input: secret({ data: { password: b64('old'), user: b64('admin') }, stringData: { password: 'new' } }),
      data: { password: b64('new'), user: b64('admin') },
      type: 'Opaque',
    },
    { name: 'UTF-8 text', input: secret({ stringData: { k: 'पासवर्ड' } }), data: { k: b64('पासवर्ड') }, type: 'Opaque' },
    { name: 'empty stringData', input: secret({ stringData: {}, type: 'kubernetes.io/basic-auth' }), data: undefined, type: 'kubernetes.io/basic-auth' },
  ];
  for (const c of cases) {
    strategy.defaults!(c.input);
    assert.equal('stringData' in c.input, false, c.name);
    assert.deepEqual(c.input.data, c.data, c.name);
    assert.equal(c.input.type, c.type, c.name);
  }
});

test('Secrets are validated per type with upstream messages', () => {
  const cases: { name: string; obj: KObject; want: string[] }[] = [
    { name: 'the seed secret', obj: secret({ type: 'Opaque', data: { 'db-password': b64('x'), 'api-key': b64('y') } }), want: [] },
    {
      name: 'bad key',
      obj: secret({ type: 'Opaque', data: { 'a/b': b64('x') } }),
      want: [
        `data[a/b]: Invalid value: "a/b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
      ],
    },
    {
      name: 'over 1 MiB decoded',
      obj: secret({ type: 'Opaque', data: { a: Buffer.alloc(1024 * 1024 + 1).toString('base64') } }),
      want: ['data: Too long: may not be more than 1048576 bytes'],
    },
    {
      name: 'tls without key',
      obj: secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': b64('x') } }),
      want: ['data[tls.key]: Required value'],
    },
    { name: 'tls without both', obj: secret({ type: 'kubernetes.io/tls' }), want: ['data[tls.crt]: Required value', 'data[tls.key]: Required value'] },
    {
      name: 'service account token without account',
      obj: secret({ type: 'kubernetes.io/service-account-token' }),
      want: ['metadata.annotations[kubernetes.io/service-account.name]: Required value'],
    },
    {
      name: 'service account token',
      obj: secret({ metadata: { name: 't', annotations: { 'kubernetes.io/service-account.name': 'default' } }, type: 'kubernetes.io/service-account-token' }),
      want: [],
    },
    { name: 'dockerconfigjson missing', obj: secret({ type: 'kubernetes.io/dockerconfigjson' }), want: ['data[.dockerconfigjson]: Required value'] },
    {
      name: 'dockerconfigjson not JSON',
      obj: secret({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{"auths":') } }),
      want: ['data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": unexpected end of JSON input'],
    },
    {
      name: 'dockercfg an array',
      obj: secret({ type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64('[]') } }),
      want: ['data[.dockercfg]: Invalid value: "<secret contents redacted>": json: cannot unmarshal array into Go value of type map[string]interface {}'],
    },
    { name: 'dockercfg', obj: secret({ type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64('{"r":{}}') } }), want: [] },
    {
      name: 'basic-auth with neither field',
      obj: secret({ type: 'kubernetes.io/basic-auth', data: {} }),
      want: ['data[username]: Required value', 'data[password]: Required value'],
    },
    { name: 'basic-auth with an empty password', obj: secret({ type: 'kubernetes.io/basic-auth', data: { password: '' } }), want: [] },
    { name: 'ssh-auth with an empty key', obj: secret({ type: 'kubernetes.io/ssh-auth', data: { 'ssh-privatekey': '' } }), want: ['data[ssh-privatekey]: Required value'] },
    { name: 'unknown types are free-form', obj: secret({ type: 'example.com/thing' }), want: [] },
  ];
  for (const c of cases) assert.deepEqual(messages(strategy.validate!(c.obj)), c.want, c.name);
});

test('updates may not change the type, nor anything of an immutable secret', () => {
  const immutableMsg = 'Forbidden: field is immutable when `immutable` is set';
  const old = secret({ type: 'Opaque', data: { a: b64('1') }, immutable: true });
  const cases: { name: string; obj: KObject; old: KObject; want: string[] }[] = [
    {
      name: 'type changed',
      obj: secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } }),
      old: secret({ type: 'Opaque' }),
      want: ['type: Invalid value: "kubernetes.io/tls": field is immutable'],
    },
    { name: 'unchanged immutable', obj: secret({ type: 'Opaque', data: { a: b64('1') }, immutable: true }), old, want: [] },
    { name: 'immutable data changed through stringData', obj: secret({ type: 'Opaque', stringData: { a: '2' }, immutable: true }), old, want: [`data: ${immutableMsg}`] },
    { name: 'immutable cleared', obj: secret({ type: 'Opaque', data: { a: b64('1') } }), old, want: [`immutable: ${immutableMsg}`] },
  ];
  for (const c of cases) {
    strategy.defaults!(c.obj);
    strategy.prepareForUpdate?.(c.obj, c.old);
    assert.deepEqual(messages(strategy.validateUpdate!(c.obj, c.old)), c.want, c.name);
  }
});

test('json.Unmarshal errors are reproduced byte for byte', () => {
  const cases: [string, string][] = [
    ['{"a":1}', ''],
    ['null', ''],
    ['', 'unexpected end of JSON input'],
    ['{', 'unexpected end of JSON input'],
    ['x', "invalid character 'x' looking for beginning of value"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b":2}', `invalid character '"' after object key:value pair`],
    ['{a:1}', "invalid character 'a' looking for beginning of object key string"],
    ['{"a":[1 2]}', "invalid character '2' after array element"],
    ['{"a":"\u0001"}', "invalid character '\\x01' in string literal"],
    ['{"a":"\\q"}', "invalid character 'q' in string escape code"],
    ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
    ['{"a":-x}', "invalid character 'x' in numeric literal"],
    ['{"a":1.}', "invalid character '}' after decimal point in numeric literal"],
    ['{} {}', "invalid character '{' after top-level value"],
    ['{"a":\'b\'}', "invalid character '\\'' looking for beginning of value"],
    ['"auths"', 'json: cannot unmarshal string into Go value of type map[string]interface {}'],
    ['12', 'json: cannot unmarshal number into Go value of type map[string]interface {}'],
    [' true ', 'json: cannot unmarshal bool into Go value of type map[string]interface {}'],
  ];
  for (const [input, want] of cases) assert.equal(goJSONObjectError(Buffer.from(input, 'utf8')), want, input);
});

function selfSigned(): { cert: string; key: string } {
  // A minimal X.509 certificate is long to build by hand; reuse one keyed by a fresh RSA key via a tiny DER writer.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = (tag: number, body: Buffer) => {
    const len = body.length < 128 ? Buffer.from([body.length]) : body.length < 256 ? Buffer.from([0x81, body.length]) : Buffer.from([0x82, body.length >> 8, body.length & 255]);
    return Buffer.concat([Buffer.from([tag]), len, body]);
  };
  const seq = (...parts: Buffer[]) => der(0x30, Buffer.concat(parts));
  const oid = (bytes: number[]) => der(0x06, Buffer.from(bytes));
  const sha256WithRSA = seq(oid([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]), Buffer.from([0x05, 0x00]));
  const name = seq(der(0x31, seq(oid([0x55, 0x04, 0x03]), der(0x0c, Buffer.from('dabba')))));
  const time = (s: string) => der(0x17, Buffer.from(s));
  const tbs = seq(
    der(0xa0, der(0x02, Buffer.from([2]))),
    der(0x02, Buffer.from([1])),
    sha256WithRSA,
    name,
    seq(time('250101000000Z'), time('350101000000Z')),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const sig = createSign('sha256').update(tbs).sign(privateKey);
  const cert = seq(tbs, sha256WithRSA, der(0x03, Buffer.concat([Buffer.from([0]), sig])));
  const pem = (type: string, b: Buffer) => `-----BEGIN ${type}-----\n${b.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END ${type}-----\n`;
  return { cert: pem('CERTIFICATE', cert), key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

test('a TLS secret whose key does not fit its certificate gets crypto/tls warnings', () => {
  const a = selfSigned();
  const b = selfSigned();
  const cases: { name: string; crt: string; key: string; want: string }[] = [
    { name: 'matching pair', crt: a.cert, key: a.key, want: '' },
    { name: 'empty certificate', crt: '', key: a.key, want: 'tls: failed to find any PEM data in certificate input' },
    { name: 'empty key', crt: a.cert, key: '', want: 'tls: failed to find any PEM data in key input' },
    {
      name: 'inputs switched',
      crt: a.key,
      key: a.cert,
      want: 'tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched',
    },
    { name: 'certificate as key', crt: a.cert, key: a.cert, want: 'tls: found a certificate rather than a key in the PEM for the private key' },
    { name: 'another key', crt: a.cert, key: b.key, want: 'tls: private key does not match public key' },
  ];
  for (const c of cases) {
    assert.equal(x509KeyPairError(c.crt, c.key), c.want, c.name);
    const obj = secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': b64(c.crt), 'tls.key': b64(c.key) } });
    assert.deepEqual(strategy.warnings!(obj), c.want ? [c.want] : [], c.name);
  }
  assert.deepEqual(strategy.selectableFields!(secret({ type: 'kubernetes.io/tls' })), { type: 'kubernetes.io/tls' });
});
