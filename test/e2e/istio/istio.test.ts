// kubectl 1.33 against a real `dabba up`: the bundled Istio and VPA CRDs, istiod's validation, and the seed's mesh manifests.
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { api, exists, kubectlPath, repoRoot, TestCluster } from '../cluster.ts';

const minor = 33;
const seed = (f: string) => join(repoRoot, 'examples/seed', f);

const virtualService = (name: string, weights: number[]) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${name}
  namespace: swiggy-prod
spec:
  hosts:
  - swiggy-order-service
  http:
  - route:
${weights.map((w, i) => `    - destination:\n        host: swiggy-order-service\n        subset: v${i + 2}\n      weight: ${w}\n`).join('')}`;

describe(`Istio and VPA APIs with kubectl 1.${minor}`, async () => {
  const missing = !(await exists(kubectlPath(minor)));
  let c: TestCluster;
  let served = false;
  const k = (args: string[], input?: string) => c.kubectl(minor, args, input);
  const ok = async (args: string[], input?: string) => {
    const r = await k(args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}`);
    return r;
  };

  before(async () => {
    if (missing) return;
    c = await TestCluster.start();
    served = (await api(c, 'GET', '/apis/networking.istio.io/v1')).status === 200;
    if (served) await ok(['create', 'namespace', 'swiggy-prod']);
  });
  after(async () => {
    await c?.destroy();
  });

  const opts = { skip: missing ? `skipped: kubectl 1.${minor} not installed` : false };
  /** The CRD kinds come from the CustomResourceDefinition support; until a build serves them, say so and skip. */
  const needCrds = (t: TestContext) => {
    if (!served) t.skip('skipped: networking.istio.io is not served (CustomResourceDefinitions are not available in this build)');
    return served;
  };

  it('installs the bundled CRDs at start', opts, async (t) => {
    if (!needCrds(t)) return;
    const crds = (await ok(['get', 'crd', '-o', 'name'])).stdout;
    for (const name of [
      'destinationrules.networking.istio.io',
      'gateways.networking.istio.io',
      'serviceentries.networking.istio.io',
      'virtualservices.networking.istio.io',
      'verticalpodautoscalercheckpoints.autoscaling.k8s.io',
      'verticalpodautoscalers.autoscaling.k8s.io',
    ]) {
      assert.match(crds, new RegExp(`customresourcedefinition.apiextensions.k8s.io/${name.replace(/\./g, '\\.')}`));
    }
    const resources = (await ok(['api-resources', '--api-group=networking.istio.io'])).stdout;
    assert.match(resources, /virtualservices\s+vs\s+networking\.istio\.io\/v1\s+true\s+VirtualService/);
    assert.match(resources, /destinationrules\s+dr\s+networking\.istio\.io\/v1\s+true\s+DestinationRule/);
  });

  it('applies the seed VPA (12) and VirtualService (16)', opts, async (t) => {
    if (!needCrds(t)) return;
    assert.match((await ok(['apply', '-f', seed('12-vpa-search-service.yaml')])).stdout, /verticalpodautoscaler\.autoscaling\.k8s\.io\/swiggy-search-service-vpa created/);
    assert.match((await ok(['apply', '-f', seed('16-istio-virtualservice-order.yaml')])).stdout, /virtualservice\.networking\.istio\.io\/swiggy-order-service-vs created/);
  });

  it('the seed Gateway (15) has a field Istio does not have: strict validation refuses it, with a hint; without validation it applies', opts, async (t) => {
    if (!needCrds(t)) return;
    const strict = await k(['apply', '-f', seed('15-istio-gateway.yaml')]);
    assert.notEqual(strict.code, 0);
    assert.match(
      strict.stderr,
      /Error from server \(BadRequest\): error when creating ".*15-istio-gateway\.yaml": Gateway in version "v1beta1" cannot be handled as a Gateway: strict decoding error: unknown field "spec\.servers\[1\]\.redirect"\. Hint: in spec\.servers\[1\], did you mean tls\.httpsRedirect \(not redirect\)\?/,
    );
    assert.match((await ok(['apply', '--validate=false', '-f', seed('15-istio-gateway.yaml')])).stdout, /gateway\.networking\.istio\.io\/swiggy-gateway created/);
  });

  it('refuses the seed DestinationRule (17) by strict field validation, with upstream text and a hint', opts, async (t) => {
    if (!needCrds(t)) return;
    const r = await k(['apply', '-f', seed('17-istio-destinationrule-order.yaml')]);
    assert.notEqual(r.code, 0);
    const upstream =
      'DestinationRule in version "v1beta1" cannot be handled as a DestinationRule: strict decoding error: ' +
      'unknown field "spec.trafficPolicy.circuitBreaker", ' +
      'unknown field "spec.trafficPolicy.connectionPool.http.baseEjectionTime", ' +
      'unknown field "spec.trafficPolicy.connectionPool.http.consecutiveGatewayErrors", ' +
      'unknown field "spec.trafficPolicy.connectionPool.http.interval", ' +
      'unknown field "spec.trafficPolicy.connectionPool.http.maxEjectionPercent", ' +
      'unknown field "spec.trafficPolicy.loadBalancer.consistentHash.httpCookieName", ' +
      'unknown field "spec.trafficPolicy.loadBalancer.consistentHash.ttl"';
    assert.ok(r.stderr.includes(`Error from server (BadRequest): error when creating "${seed('17-istio-destinationrule-order.yaml')}": ${upstream}. Hint: `), r.stderr);
    assert.ok(
      r.stderr.includes(
        'baseEjectionTime, consecutiveGatewayErrors, interval and maxEjectionPercent belong under spec.trafficPolicy.outlierDetection, not spec.trafficPolicy.connectionPool.http',
      ),
      r.stderr,
    );
    assert.match(r.stderr, /spec\.trafficPolicy\.circuitBreaker is not an Istio field: Istio's circuit breaking is spec\.trafficPolicy\.outlierDetection/);
    // With --validate=warn the unknown fields are dropped, each reported, and the hints come as warnings too.
    const warn = await ok(['apply', '--validate=warn', '-f', seed('17-istio-destinationrule-order.yaml')]);
    assert.match(warn.stderr, /Warning: unknown field "spec\.trafficPolicy\.circuitBreaker"/);
    assert.match(warn.stderr, /Warning: hint: baseEjectionTime, consecutiveGatewayErrors, interval and maxEjectionPercent belong under spec\.trafficPolicy\.outlierDetection/);
    assert.match(warn.stdout, /destinationrule\.networking\.istio\.io\/swiggy-order-service-dr created/);
  });

  it("denies what istiod's webhook denies, in its words; weights need not total 100", opts, async (t) => {
    if (!needCrds(t)) return;
    // Since Istio 1.15 weights are relative: 90/20 is accepted (each gets weight/110).
    assert.match((await ok(['apply', '-f', '-'], virtualService('split-90-20', [90, 20]))).stdout, /virtualservice\.networking\.istio\.io\/split-90-20 created/);
    const zero = await k(['apply', '-f', '-'], virtualService('split-0-0', [0, 0]));
    assert.notEqual(zero.code, 0);
    assert.equal(
      zero.stderr.trim(),
      'Error from server: error when creating "STDIN": admission webhook "validation.istio.io" denied the request: configuration is invalid: total destination weight = 0',
    );
    const negative = await k(['apply', '-f', '-'], virtualService('split-neg', [-10, 110]));
    assert.match(negative.stderr, /admission webhook "validation\.istio\.io" denied the request: configuration is invalid: weight -10 < 0/);
    const emptyPolicy = await k(
      ['apply', '-f', '-'],
      'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: empty\n  namespace: swiggy-prod\nspec:\n  host: reviews\n  trafficPolicy: {}\n',
    );
    assert.match(emptyPolicy.stderr, /denied the request: configuration is invalid: traffic policy must have at least one field/);
    const status = await api(c, 'POST', '/apis/networking.istio.io/v1/namespaces/swiggy-prod/virtualservices', {
      body: { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'raw' }, spec: { hosts: ['a'], http: [{}] } },
    });
    assert.equal(status.status, 400);
    assert.deepEqual(status.json(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'admission webhook "validation.istio.io" denied the request: configuration is invalid: HTTP route, redirect or direct_response is required',
      code: 400,
    });
  });

  it('explains virtualservice.spec.http.retries', opts, async (t) => {
    if (!needCrds(t)) return;
    const r = await ok(['explain', 'virtualservice.spec.http.retries']);
    assert.match(r.stdout, /GROUP:\s+networking\.istio\.io/);
    assert.match(r.stdout, /KIND:\s+VirtualService/);
    assert.match(r.stdout, /FIELD: retries <Object>/);
    assert.match(r.stdout, /Retry policy for HTTP requests\./);
    for (const f of ['attempts\\s+<integer>', 'perTryTimeout\\s+<string>', 'retryOn\\s+<string>', 'retryRemoteLocalities\\s+<boolean>']) {
      assert.match(r.stdout, new RegExp(f));
    }
  });

  it('prints upstream columns for vs, dr, gw and vpa', opts, async (t) => {
    if (!needCrds(t)) return;
    const r = (await ok(['get', 'vs,dr,gw,vpa', '-n', 'swiggy-prod'])).stdout;
    assert.match(r, /NAME\s+GATEWAYS\s+HOSTS\s+AGE\n/);
    assert.match(r, /virtualservice\.networking\.istio\.io\/swiggy-order-service-vs\s+\["swiggy-gateway"\]\s+\["api\.swiggy\.com"\]\s+\d+s/);
    assert.match(r, /NAME\s+HOST\s+AGE\n/);
    assert.match(r, /destinationrule\.networking\.istio\.io\/swiggy-order-service-dr\s+swiggy-order-service\s+\d+s/);
    assert.match(r, /gateway\.networking\.istio\.io\/swiggy-gateway\s+\d+s/);
    assert.match(r, /NAME\s+MODE\s+CPU\s+MEM\s+PROVIDED\s+AGE\n/);
    // No recommendation yet: CPU, Mem and Provided have no value.
    assert.match(r, /verticalpodautoscaler\.autoscaling\.k8s\.io\/swiggy-search-service-vpa\s+Auto(\s+<none>)*\s+\d+s/);
  });

  it('a restart leaves the installed CRDs untouched and keeps serving their objects', opts, async (t) => {
    if (!needCrds(t)) return;
    const version = async () => (await ok(['get', 'crd', 'virtualservices.networking.istio.io', '-o', 'jsonpath={.metadata.resourceVersion}'])).stdout;
    const before = await version();
    await c.stop();
    await c.up();
    assert.equal(await version(), before);
    assert.match((await ok(['get', 'vs', '-n', 'swiggy-prod', 'swiggy-order-service-vs', '-o', 'name'])).stdout, /swiggy-order-service-vs/);
  });
});
