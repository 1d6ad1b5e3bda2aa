import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContainerConfigError, makeEnvironment, type EnvSources } from './environment.ts';
import type { ConfigMap, Container, Pod, Secret, Service } from '../pod-worker-types.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');

const configMaps: ConfigMap[] = [
  { metadata: { namespace: 'swiggy-prod', name: 'swiggy-config-prod' }, data: { 'app.yaml': 'environment: production\n' } },
  { metadata: { namespace: 'swiggy-prod', name: 'flags' }, data: { A: 'a', B: 'b' } },
];
const secrets: Secret[] = [{ metadata: { namespace: 'swiggy-prod', name: 'swiggy-secrets' }, data: { database_password: b64('s3cret'), token: b64('t') } }];
const services: Service[] = [
  { metadata: { namespace: 'default', name: 'kubernetes' }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443 }] } },
  { metadata: { namespace: 'swiggy-prod', name: 'swiggy-payment-service' }, spec: { clusterIP: '10.96.5.6', ports: [{ port: 80 }] } },
];

function sources(over: Partial<EnvSources> = {}): EnvSources {
  return {
    configMap: async (ns, name) => configMaps.find((c) => c.metadata.namespace === ns && c.metadata.name === name),
    secret: async (ns, name) => secrets.find((c) => c.metadata.namespace === ns && c.metadata.name === name),
    services: () => services,
    podIPs: ['10.244.0.7'],
    hostIPs: ['192.168.1.10'],
    allocatable: { cpu: '4', memory: '8Gi' },
    ...over,
  };
}

function pod(container: Partial<Container>, spec: Partial<Pod['spec']> = {}): Pod {
  return {
    metadata: { name: 'order-7d9', namespace: 'swiggy-prod', uid: 'u-1', labels: { app: 'order', tier: 'b"e' }, annotations: { note: 'x' } },
    spec: { containers: [{ name: 'order-service', ...container }], nodeName: 'node-a', serviceAccountName: 'default', enableServiceLinks: true, ...spec },
  };
}

async function env(p: Pod, s = sources()): Promise<Record<string, string>> {
  return Object.fromEntries(await makeEnvironment(p, p.spec.containers[0], s));
}

test('CreateContainerConfigError messages are upstream texts', async () => {
  const cases: [string, Partial<Container>, string][] = [
    [
      'missing key in a ConfigMap (seed 10)',
      { env: [{ name: 'APP_ENV', valueFrom: { configMapKeyRef: { name: 'swiggy-config-prod', key: 'environment' } } }] },
      "couldn't find key environment in ConfigMap swiggy-prod/swiggy-config-prod",
    ],
    ['missing ConfigMap', { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }] }, 'configmap "nope" not found'],
    ['missing Secret', { env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'gone', key: 'k' } } }] }, 'secret "gone" not found'],
    ['missing key in a Secret', { env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'swiggy-secrets', key: 'razorpay_key_secret' } } }] }, "couldn't find key razorpay_key_secret in Secret swiggy-prod/swiggy-secrets"],
    ['missing envFrom ConfigMap', { envFrom: [{ configMapRef: { name: 'absent' } }] }, 'configmap "absent" not found'],
    ['missing envFrom Secret', { envFrom: [{ secretRef: { name: 'absent' } }] }, 'secret "absent" not found'],
    ['unsupported fieldRef', { env: [{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'spec.hostname' } } }] }, 'field label not supported: spec.hostname'],
    ['resourceFieldRef for another container', { env: [{ name: 'X', valueFrom: { resourceFieldRef: { containerName: 'ghost', resource: 'limits.cpu' } } }] }, 'container ghost not found'],
  ];
  for (const [name, c, message] of cases) {
    await assert.rejects(env(pod(c)), (e: unknown) => e instanceof ContainerConfigError && e.message === message, name);
  }
});

test('optional references are skipped', async () => {
  const got = await env(
    pod({
      envFrom: [{ configMapRef: { name: 'absent', optional: true } }, { secretRef: { name: 'absent', optional: true } }],
      env: [
        { name: 'A', valueFrom: { configMapKeyRef: { name: 'absent', key: 'k', optional: true } } },
        { name: 'B', valueFrom: { configMapKeyRef: { name: 'flags', key: 'nokey', optional: true } } },
        { name: 'C', valueFrom: { secretKeyRef: { name: 'swiggy-secrets', key: 'nokey', optional: true } } },
      ],
    }),
  );
  assert.equal('A' in got || 'B' in got || 'C' in got, false);
});

test('values, sources, envFrom prefixes, expansion and service links', async () => {
  const got = await env(
    pod({
      resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { memory: '128Mi' } },
      envFrom: [{ configMapRef: { name: 'flags' }, prefix: 'CFG_' }, { secretRef: { name: 'swiggy-secrets' } }],
      env: [
        { name: 'CFG_A', value: 'override' },
        { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'swiggy-secrets', key: 'database_password' } } },
        { name: 'URL', value: 'http://$(SWIGGY_PAYMENT_SERVICE_SERVICE_HOST):$(PORT)/$(MISSING)/$$(PASSWORD)' },
        { name: 'PORT', value: '8080' },
        { name: 'LATER', value: '$(PORT)-$(PASSWORD)' },
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'NOTE', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['note']" } } },
        { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'SA', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
        { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
        { name: 'CPU_REQ_M', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
        { name: 'CPU_REQ', valueFrom: { resourceFieldRef: { resource: 'requests.cpu' } } },
        { name: 'CPU_LIM', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
        { name: 'MEM_LIM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
        { name: 'MEM_REQ', valueFrom: { resourceFieldRef: { resource: 'requests.memory' } } },
        { name: 'EMPTY', value: '' },
        { name: 'KUBERNETES_SERVICE_HOST', value: 'mine' },
      ],
    }),
  );
  assert.equal(got.CFG_A, 'override');
  assert.equal(got.CFG_B, 'b');
  assert.equal(got.database_password, 's3cret');
  assert.equal(got.PASSWORD, 's3cret');
  assert.equal(got.URL, 'http://10.96.5.6:$(PORT)/$(MISSING)/$(PASSWORD)');
  assert.equal(got.LATER, '8080-s3cret');
  assert.equal(got.POD, 'order-7d9');
  assert.equal(got.NS, 'swiggy-prod');
  assert.equal(got.UID, 'u-1');
  assert.equal(got.APP, 'order');
  assert.equal(got.NOTE, 'x');
  assert.equal(got.NODE, 'node-a');
  assert.equal(got.SA, 'default');
  assert.equal(got.POD_IP, '10.244.0.7');
  assert.equal(got.HOST_IP, '192.168.1.10');
  assert.equal(got.CPU_REQ_M, '250');
  assert.equal(got.CPU_REQ, '1');
  assert.equal(got.CPU_LIM, '4');
  assert.equal(got.MEM_LIM_MI, '128');
  assert.equal(got.MEM_REQ, String(64 * 1024 * 1024));
  assert.equal(got.EMPTY, '');
  assert.equal(got.KUBERNETES_SERVICE_HOST, 'mine');
  assert.equal(got.KUBERNETES_SERVICE_PORT, '443');
  assert.equal(got.SWIGGY_PAYMENT_SERVICE_PORT, 'tcp://10.96.5.6:80');
});

test('enableServiceLinks false leaves only the kubernetes service', async () => {
  const got = await env(pod({}, { enableServiceLinks: false }));
  assert.equal(got.KUBERNETES_SERVICE_HOST, '10.96.0.1');
  assert.equal(got.SWIGGY_PAYMENT_SERVICE_SERVICE_HOST, undefined);
});

test('no env before the services were listed once', async () => {
  await assert.rejects(env(pod({}), sources({ services: () => undefined })), {
    message: 'services have not yet been read at least once, cannot construct envvars',
  });
});
