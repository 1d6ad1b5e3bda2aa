import { test } from 'node:test';
import assert from 'node:assert/strict';
import { typeErrors, unknownFields } from './unknown-fields.ts';

const DEPLOYMENT = 'io.k8s.api.apps.v1.Deployment';

function deployment(overrides: { spec?: Record<string, unknown>; metadata?: Record<string, unknown>; [k: string]: unknown } = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web', 'app.kubernetes.io/anything-goes': 'x' }, ...overrides.metadata },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] },
      },
      ...overrides.spec,
    },
    ...Object.fromEntries(Object.entries(overrides).filter(([k]) => k !== 'spec' && k !== 'metadata')),
  };
}

test('unknownFields reports paths the way upstream strict decoding does', () => {
  const cases: { name: string; obj: unknown; def?: string; want: string[] }[] = [
    { name: 'a valid deployment', obj: deployment(), want: [] },
    { name: 'top level', obj: deployment({ bogus: 1 }), want: ['bogus'] },
    { name: 'two in spec, in document order', obj: deployment({ spec: { foo: 1, replicas: 1, bar: 2 } }), want: ['spec.foo', 'spec.bar'] },
    {
      name: 'inside list items, with the index',
      obj: deployment({ spec: { template: { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y', imagePullPolicyy: 'Always', ports: [{ containerPort: 1, hostPortt: 2 }] }] } } } }),
      want: ['spec.template.spec.containers[1].imagePullPolicyy', 'spec.template.spec.containers[1].ports[0].hostPortt'],
    },
    {
      name: 'map values are free, nested objects are not',
      obj: deployment({ metadata: { annotations: { whatever: 'x' }, labelz: {} } }),
      want: ['metadata.labelz'],
    },
    { name: 'field names are case-sensitive', obj: deployment({ Spec: {} }), want: ['Spec'] },
    {
      name: 'struct values of a map carry the key in the path',
      def: 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps',
      obj: { type: 'object', properties: { spec: { type: 'object', nullablee: true } } },
      want: ['properties.spec.nullablee'],
    },
    {
      name: 'free-form values (RawExtension) are not inspected',
      def: 'io.k8s.api.apps.v1.ControllerRevision',
      obj: { apiVersion: 'apps/v1', kind: 'ControllerRevision', revision: 1, data: { anything: { goes: true } } },
      want: [],
    },
    {
      name: 'values of the wrong JSON type are skipped, as the decoder skips them',
      obj: deployment({ spec: { template: [{ bogus: 1 }] } }),
      want: [],
    },
    {
      name: 'apiVersion and kind are allowed at the top even where the definition lacks them',
      def: 'io.k8s.api.core.v1.PodTemplateSpec',
      obj: { apiVersion: 'v1', kind: 'x', spec: { containers: [{ name: 'a', kind: 'nope' }] } },
      want: ['spec.containers[0].kind'],
    },
    {
      name: 'fields newer than Kubernetes 1.33 are unknown',
      def: 'io.k8s.api.core.v1.PodSpec',
      obj: { containers: [], hostnameOverride: 'x' },
      want: ['hostnameOverride'],
    },
  ];
  for (const c of cases) assert.deepEqual(unknownFields(c.obj, c.def ?? DEPLOYMENT), c.want, c.name);
});

test('unknownFields stops at 100, as upstream does', () => {
  const spec: Record<string, unknown> = {};
  for (let i = 0; i < 150; i++) spec[`f${i}`] = i;
  const found = unknownFields({ spec }, DEPLOYMENT);
  assert.equal(found.length, 100);
  assert.equal(found[0], 'spec.f0');
});

test('unknownFields rejects an unknown definition', () => {
  assert.throws(() => unknownFields({}, 'io.k8s.api.apps.v1.Nope'), /unknown definition/);
});

test('typeErrors reports values Go cannot decode into the field type', () => {
  const cases: { name: string; obj: unknown; want: { path: string; expected: string; got: string; message: string }[] }[] = [
    { name: 'valid', obj: deployment(), want: [] },
    {
      name: 'string into int32',
      obj: deployment({ spec: { replicas: 'two' } }),
      want: [{ path: 'spec.replicas', expected: 'int32', got: 'string',
        message: 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32' }],
    },
    {
      name: 'fraction into int32 names the number',
      obj: deployment({ spec: { replicas: 1.5 } }),
      want: [{ path: 'spec.replicas', expected: 'int32', got: 'number 1.5',
        message: 'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32' }],
    },
    {
      name: 'inside a list item the Go path has no index',
      obj: deployment({ spec: { template: { spec: { containers: [{ name: 'a', image: 5 }] } } } }),
      want: [{ path: 'spec.template.spec.containers[0].image', expected: 'string', got: 'number',
        message: 'json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.image of type string' }],
    },
    {
      name: 'object where a list belongs',
      obj: deployment({ spec: { template: { spec: { containers: { name: 'a' } } } } }),
      want: [{ path: 'spec.template.spec.containers', expected: '[]v1.Container', got: 'object',
        message: 'json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container' }],
    },
    {
      name: 'label values must be strings',
      obj: deployment({ metadata: { labels: { tier: 1 } } }),
      want: [{ path: 'metadata.labels.tier', expected: 'string', got: 'number',
        message: 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string' }],
    },
    {
      name: 'int-or-string accepts both, rejects bool',
      obj: deployment({ spec: { strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: true } } } }),
      want: [{ path: 'spec.strategy.rollingUpdate.maxUnavailable', expected: 'int32', got: 'bool',
        message: 'json: cannot unmarshal bool into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxUnavailable of type int32' }],
    },
    {
      name: 'nulls decode as absent',
      obj: deployment({ spec: { replicas: null, strategy: null } }),
      want: [],
    },
  ];
  for (const c of cases) assert.deepEqual(typeErrors(c.obj, DEPLOYMENT), c.want, c.name);

  const quantity = typeErrors({ containers: [{ name: 'a', resources: { limits: { cpu: true, memory: '1Gi' } } }] },
    'io.k8s.api.core.v1.PodSpec');
  assert.equal(quantity.length, 1);
  assert.equal(quantity[0]!.path, 'containers[0].resources.limits.cpu');
  assert.match(quantity[0]!.message, /^quantities must match the regular expression/);
});
