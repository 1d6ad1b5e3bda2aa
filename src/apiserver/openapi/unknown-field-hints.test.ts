import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bundledCrd } from '../../api/crds/bundled-crds.ts';
import { BuiltinSchemas } from './builtin-schemas.ts';
import { hintSuffix, unknownFieldHints, type SchemaDocument } from './unknown-field-hints.ts';

const crdDoc = (name: string, version = 'v1beta1'): SchemaDocument => {
  const schema = bundledCrd(name).spec.versions.find((v) => v.name === version)!.schema!.openAPIV3Schema;
  return { name: 'root', schemas: { root: schema } };
};
const builtinDoc = (group: string, kind: string, version: string) => new BuiltinSchemas(group, kind).openapi(version) as SchemaDocument;

test("the seed DestinationRule: circuitBreaker, outlier fields under connectionPool.http, cookie fields", () => {
  const unknown = [
    'spec.trafficPolicy.circuitBreaker',
    'spec.trafficPolicy.connectionPool.http.baseEjectionTime',
    'spec.trafficPolicy.connectionPool.http.consecutiveGatewayErrors',
    'spec.trafficPolicy.connectionPool.http.interval',
    'spec.trafficPolicy.connectionPool.http.maxEjectionPercent',
    'spec.trafficPolicy.loadBalancer.consistentHash.httpCookieName',
    'spec.trafficPolicy.loadBalancer.consistentHash.ttl',
  ];
  assert.deepEqual(unknownFieldHints(crdDoc('destinationrules.networking.istio.io'), unknown), [
    "spec.trafficPolicy.circuitBreaker is not an Istio field: Istio's circuit breaking is spec.trafficPolicy.outlierDetection " +
      '(ejecting failing hosts) together with spec.trafficPolicy.connectionPool (connection and request limits)',
    // `interval` also exists under http.http2KeepAlive; it goes where the other three fields are.
    'baseEjectionTime, consecutiveGatewayErrors, interval and maxEjectionPercent belong under spec.trafficPolicy.outlierDetection, ' +
      'not spec.trafficPolicy.connectionPool.http',
    'in spec.trafficPolicy.loadBalancer.consistentHash, did you mean httpCookie.name (not httpCookieName) and httpCookie.ttl (not ttl)?',
  ]);
});

const cases: { name: string; doc: () => SchemaDocument; unknown: string[]; hints: string[] }[] = [
  {
    name: 'Gateway server redirect is tls.httpsRedirect',
    doc: () => crdDoc('gateways.networking.istio.io'),
    unknown: ['spec.servers[1].redirect'],
    hints: ['in spec.servers[1], did you mean tls.httpsRedirect (not redirect)?'],
  },
  {
    name: 'VirtualService: plural, snake_case, weight inside destination',
    doc: () => crdDoc('virtualservices.networking.istio.io', 'v1'),
    unknown: ['spec.http[0].retry', 'spec.http[0].route[0].destination.weight', 'spec.http[0].fault.delay.fixed_delay'],
    hints: [
      'in spec.http[0], did you mean retries (not retry)?',
      'weight belongs under spec.http[0].route[0], not spec.http[0].route[0].destination',
      'in spec.http[0].fault.delay, did you mean fixedDelay (not fixed_delay)?',
    ],
  },
  {
    name: 'DestinationRule pool limits on the wrong protocol, inside a subset',
    doc: () => crdDoc('destinationrules.networking.istio.io'),
    unknown: ['spec.subsets[0].trafficPolicy.connectionPool.http.maxConnections'],
    hints: ['maxConnections belongs under spec.subsets[0].trafficPolicy.connectionPool.tcp, not spec.subsets[0].trafficPolicy.connectionPool.http'],
  },
  {
    name: 'built-in kinds: typos and misplaced fields through $refs',
    doc: () => builtinDoc('apps', 'Deployment', 'v1'),
    unknown: ['spec.replica', 'spec.template.spec.containers[0].imagePullPolice', 'spec.template.spec.containerPort'],
    hints: [
      'in spec, did you mean replicas (not replica)?',
      'in spec.template.spec.containers[0], did you mean imagePullPolicy (not imagePullPolice)?',
      'containerPort belongs under spec.template.spec.containers[*].ports[*], not spec.template.spec',
    ],
  },
  {
    name: 'autoscaling/v1 field in autoscaling/v2',
    doc: () => builtinDoc('autoscaling', 'HorizontalPodAutoscaler', 'v2'),
    unknown: ['spec.targetCPUUtilizationPercentage'],
    hints: [
      'spec.targetCPUUtilizationPercentage exists only in autoscaling/v1; in autoscaling/v2 write spec.metrics: ' +
        '[{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: N}}}]',
    ],
  },
  {
    name: 'nothing close: no hint',
    doc: () => builtinDoc('', 'ConfigMap', 'v1'),
    unknown: ['bogus', 'xyzzy'],
    hints: [],
  },
];

for (const c of cases) {
  test(c.name, () => assert.deepEqual(unknownFieldHints(c.doc(), c.unknown), c.hints));
}

test('hintSuffix makes one sentence, or nothing', () => {
  assert.equal(hintSuffix([]), '');
  assert.equal(hintSuffix(['a belongs under b, not c']), '. Hint: a belongs under b, not c.');
  assert.equal(hintSuffix(['x', 'did you mean y (not z)?']), '. Hint: x; did you mean y (not z)?');
});
