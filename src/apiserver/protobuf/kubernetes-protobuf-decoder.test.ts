// Real kubectl 1.33 protobuf bodies decode to the JSON kubectl 1.31 sends; malformed bodies get upstream's 400s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { KubernetesProtobufDecoder } from './kubernetes-protobuf-decoder.ts';
import { loadDescriptors } from './descriptors.ts';
import { StatusError } from '../../machinery/status-error.ts';

interface Fixture {
  command: string;
  request: string;
  body: string;
  jsonFromKubectl131?: unknown;
}

const dir = new URL('./fixtures/', import.meta.url);
const fixtures = new Map<string, Fixture>(
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as Fixture]),
);
const decoder = new KubernetesProtobufDecoder();
const decodeFixture = (name: string) => decoder.decode(Buffer.from(fixtures.get(name)!.body, 'base64')) as Record<string, any>;

test('every body kubectl 1.33 sent decodes to the JSON kubectl 1.31 sent for the same command', () => {
  const compared = [...fixtures].filter(([, fx]) => fx.jsonFromKubectl131 !== undefined);
  assert.ok(compared.length >= 35, `only ${compared.length} fixtures with a JSON counterpart`);
  for (const [name, fx] of compared) {
    assert.deepEqual(decodeFixture(name), fx.jsonFromKubectl131, `${name}: ${fx.command}`);
  }
});

test('the kinds the issue names are all among the fixtures', () => {
  const kinds = new Set([...fixtures.keys()].map((n) => `${decodeFixture(n).apiVersion}/${decodeFixture(n).kind}`));
  for (const k of [
    'v1/Namespace',
    'v1/ConfigMap',
    'v1/Secret',
    'v1/Service',
    'apps/v1/Deployment',
    'batch/v1/Job',
    'autoscaling/v1/HorizontalPodAutoscaler',
    'autoscaling/v2/HorizontalPodAutoscaler',
    'authentication.k8s.io/v1/TokenRequest',
    'authorization.k8s.io/v1/SelfSubjectAccessReview',
    'authorization.k8s.io/v1/SelfSubjectRulesReview',
    'authentication.k8s.io/v1/SelfSubjectReview',
  ]) {
    assert.ok(kinds.has(k), k);
  }
});

test('autoscaling/v2 bodies (1.33 only; 1.31 sends v1) keep Go nil slices as null', () => {
  assert.deepEqual(decodeFixture('autoscale-v2'), {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', creationTimestamp: null },
    spec: {
      scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' },
      maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }],
    },
    // desiredReplicas and currentMetrics have no omitempty upstream.
    status: { desiredReplicas: 0, currentMetrics: null },
  });
  assert.deepEqual(decodeFixture('autoscale-min-v2').spec, {
    scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' },
    minReplicas: 2,
    maxReplicas: 7,
  });
});

test('bytes become standard base64, int-or-string keeps its type, pointers to zero stay', () => {
  const secret = decodeFixture('create-secret-generic');
  assert.equal(Buffer.from(secret.data.blob, 'base64').toString('latin1'), 'hello\0\xff\xfebin');
  assert.equal(Buffer.from(secret.data.password, 'base64').toString(), 's3cr=t!');
  assert.equal(decodeFixture('create-configmap').binaryData.blob, secret.data.blob);
  assert.equal(decodeFixture('create-service-clusterip').spec.ports[0].targetPort, 8080);
  assert.equal(decodeFixture('create-pdb-max').spec.maxUnavailable, '25%');
  assert.equal(decodeFixture('create-pdb').spec.minAvailable, 1);
  assert.equal(decodeFixture('create-token-opts').spec.expirationSeconds, 7200);
  assert.equal(decodeFixture('create-service-headless').spec.clusterIP, 'None');
});

/** Hand-written wire bytes: field numbers from upstream's generated.proto, written out per the protobuf spec. */
const varint = (n: number) => {
  const out: number[] = [];
  while (n > 127) {
    out.push((n % 128) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
};
const field = (num: number, bytes: number[]) => [...varint((num << 3) | 2), ...varint(bytes.length), ...bytes];
const varintField = (num: number, n: number) => [...varint(num << 3), ...varint(n)];
const str = (num: number, s: string) => field(num, [...Buffer.from(s)]);
const envelope = (apiVersion: string, kind: string, raw: number[]) =>
  Buffer.from([0x6b, 0x38, 0x73, 0x00, ...field(1, [...str(1, apiVersion), ...str(2, kind)]), ...field(2, raw)]);

test('Time, MicroTime and unknown fields', () => {
  // coordination/v1 Lease: metadata=1 {name=1, creationTimestamp=8 {seconds=1}}, spec=2 {holderIdentity=1,
  // leaseDurationSeconds=2, renewTime=4 {seconds=1, nanos=2}}, plus an unknown field 99.
  const lease = envelope('coordination.k8s.io/v1', 'Lease', [
    ...field(1, [...str(1, 'node-a'), ...field(8, varintField(1, 1_700_000_000))]),
    ...field(2, [...str(1, 'node-a'), ...varintField(2, 40), ...field(4, [...varintField(1, 1_700_000_000), ...varintField(2, 123_456_789)])]),
    ...str(99, 'ignored'),
  ]);
  assert.deepEqual(decoder.decode(lease), {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'node-a', creationTimestamp: '2023-11-14T22:13:20Z' },
    spec: { holderIdentity: 'node-a', leaseDurationSeconds: 40, renewTime: '2023-11-14T22:13:20.123456Z' },
  });
});

test('a message field sent twice is merged, as protobuf requires', () => {
  const ns = envelope('v1', 'Namespace', [...field(1, str(1, 'a')), ...field(1, field(11, [...str(1, 'k'), ...str(2, 'v')]))]);
  assert.deepEqual(decoder.decode(ns), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', creationTimestamp: null, labels: { k: 'v' } }, spec: {}, status: {} });
});

const badRequest = (message: string | RegExp) => (e: unknown) => {
  assert.ok(e instanceof StatusError);
  assert.equal(e.code, 400);
  if (typeof message === 'string') assert.equal(e.message, message);
  else assert.match(e.message, message);
  return true;
};

test('bodies upstream cannot read are 400s with upstream\'s words', () => {
  assert.throws(() => decoder.decode(Buffer.from('{"kind":"Namespace"}')), badRequest('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]'));
  assert.throws(() => decoder.decode(Buffer.alloc(0)), badRequest('empty data'));
  assert.throws(() => decoder.decode(Buffer.from([0x6b, 0x38, 0x73, 0x00])), badRequest('empty body'));
  const deployment = Buffer.from(fixtures.get('create-deployment')!.body, 'base64');
  const cut = Buffer.from(deployment.subarray(0, deployment.length - 20));
  // The envelope's raw field now claims more bytes than there are.
  assert.throws(() => decoder.decode(cut), badRequest('unexpected EOF'));
  const wrongType = envelope('apps/v1', 'Deployment', [...varintField(1, 5)]);
  assert.throws(() => decoder.decode(wrongType), badRequest('Deployment in version "v1" cannot be handled as a Deployment: proto: wrong wireType = 0 for field metadata'));
  assert.throws(() => decoder.decode(envelope('example.com/v1', 'Widget', [])), badRequest(/no kind "Widget" is registered for version "example.com\/v1"/));
  assert.throws(() => decoder.decode(envelope('v1', '', [])), badRequest(/Object 'Kind' is missing/));
});

test('descriptors load on the first body only', () => {
  let loads = 0;
  const lazy = new KubernetesProtobufDecoder(() => {
    loads++;
    return loadDescriptors();
  });
  assert.equal(loads, 0);
  lazy.decode(envelope('v1', 'Namespace', []));
  lazy.decode(envelope('v1', 'Namespace', []));
  assert.equal(loads, 1);
});
