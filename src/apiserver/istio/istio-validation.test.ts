import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { KObject } from '../registry/kobject.ts';
import { validateIstioObject, type IstioVerdict } from './istio-validation.ts';

const seed = (file: string) => parse(readFileSync(new URL(`../../../examples/seed/${file}`, import.meta.url), 'utf8')) as KObject;

const obj = (kind: string, spec: unknown, meta: Partial<KObject['metadata']> = {}): KObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind,
  metadata: { name: 'x', namespace: 'shop', ...meta },
  spec,
});

const ok: IstioVerdict = { warnings: [] };
const invalid = (...errors: string[]): IstioVerdict => ({
  denial:
    errors.length === 1
      ? `configuration is invalid: ${errors[0]}`
      : `configuration is invalid: ${errors.length} errors occurred:\n\t${errors.map((e) => `* ${e}`).join('\n\t')}\n\n`,
  warnings: [],
});
/** A go-multierror list of one, which some istiod rules build directly. */
const invalidList = (error: string): IstioVerdict => ({ denial: `configuration is invalid: 1 error occurred:\n\t* ${error}\n\n`, warnings: [] });
const warned = (...warnings: string[]): IstioVerdict => ({ warnings });

const dest = (host: string, weight?: number, subset?: string) => ({ destination: { host, ...(subset ? { subset } : {}) }, ...(weight === undefined ? {} : { weight }) });
const vs = (http: unknown[], extra: object = {}) => obj('VirtualService', { hosts: ['reviews'], http, ...extra });
const route = (extra: object = {}) => ({ route: [dest('reviews')], ...extra });

const cases: { name: string; object: KObject; want: IstioVerdict }[] = [
  // VirtualService
  { name: 'seed 16 VirtualService is valid', object: seed('16-istio-virtualservice-order.yaml'), want: ok },
  {
    name: 'weights need not total 100 (Istio >= 1.15): 90/20 is accepted',
    object: vs([{ route: [dest('reviews', 90, 'v2'), dest('reviews', 20, 'v3')] }]),
    want: ok,
  },
  { name: 'all-zero weights', object: vs([{ route: [dest('reviews', 0, 'v2'), dest('reviews', 0, 'v3')] }]), want: invalid('total destination weight = 0') },
  { name: 'negative weight', object: vs([{ route: [dest('reviews', -10, 'v2'), dest('reviews', 110, 'v3')] }]), want: invalid('weight -10 < 0') },
  { name: 'no routes at all', object: obj('VirtualService', { hosts: ['reviews'] }), want: invalid('http, tcp or tls must be provided in virtual service') },
  { name: 'an empty HTTP route', object: vs([{}]), want: invalid('HTTP route, redirect or direct_response is required') },
  {
    name: 'route and redirect together',
    object: vs([route({ redirect: { uri: '/new' } })]),
    want: invalid('HTTP route cannot contain both route and redirect'),
  },
  {
    name: 'invalid host',
    object: obj('VirtualService', { hosts: ['foo_bar.example.com'], http: [route()] }),
    want: invalid('domain name "foo_bar.example.com" invalid (label "foo_bar" invalid)'),
  },
  {
    name: 'wildcard host on the mesh',
    object: obj('VirtualService', { hosts: ['*'], http: [route()] }),
    want: invalid('wildcard host * is not allowed for virtual services bound to the mesh gateway'),
  },
  {
    name: 'overlapping hosts',
    object: obj('VirtualService', { hosts: ['*.example.com', 'api.example.com'], gateways: ['gw'], http: [route()] }),
    want: invalid('duplicate hosts in virtual service: *.example.com & api.example.com'),
  },
  { name: 'timeout below 1ms', object: vs([route({ timeout: '500us' })]), want: invalid('duration must be greater than 1ms') },
  { name: 'timeout finer than ms', object: vs([route({ timeout: '1.5ms' })]), want: invalid('only durations to ms precision are supported') },
  {
    name: 'a duration Go cannot parse fails decoding',
    object: vs([route({ timeout: '5 seconds' })]),
    want: { denial: 'error decoding configuration: bad Duration: time: unknown unit " seconds" in duration "5 seconds"', warnings: [] },
  },
  {
    name: 'a duration without unit',
    object: vs([route({ retries: { attempts: 3, perTryTimeout: '10' } })]),
    want: { denial: 'error decoding configuration: bad Duration: time: missing unit in duration "10"', warnings: [] },
  },
  {
    name: 'retries disabled but configured',
    object: vs([route({ retries: { attempts: 0, perTryTimeout: '2s' } })]),
    want: invalid('http retry policy configured when attempts are set to 0 (disabled)'),
  },
  {
    name: 'retryOn policies: status codes and Envoy names only',
    object: vs([route({ retries: { attempts: 3, retryOn: '503,gateway-error,bogus, reset' } })]),
    want: invalid('"bogus" is not a valid retryOn policy', '" reset" is not a valid retryOn policy'),
  },
  { name: 'an empty fault', object: vs([route({ fault: {} })]), want: invalidList('HTTP fault injection must have an abort and/or a delay') },
  {
    name: 'fault percentages and statuses',
    object: vs([route({ fault: { abort: { httpStatus: 700, percentage: { value: 150 } }, delay: { fixedDelay: '5s', percentage: { value: 0.00001 } } } })]),
    want: invalid(
      'percentage 150 is neither 0.0, nor in range [0.0001, 100.0]',
      'HTTP status 700 is not in range 200-599',
      'percentage 1e-05 is neither 0.0, nor in range [0.0001, 100.0]',
    ),
  },
  {
    name: 'lookahead is not RE2',
    object: vs([route({ match: [{ uri: { regex: '/api(?!/internal)' } }] })]),
    want: invalid(
      '"uri": error parsing regexp: invalid or unsupported Perl syntax: `(?!`; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)',
    ),
  },
  {
    name: 'empty prefix for a header match',
    object: vs([route({ match: [{ headers: { 'x-user': { prefix: '' } } }] })]),
    want: invalid('"headers": prefix string match should not be empty'),
  },
  { name: 'redirect code', object: vs([{ redirect: { uri: '/x', redirectCode: 200 } }]), want: invalid('200 is not a valid redirect code, must be 3xx') },
  {
    name: 'pseudo-header operations',
    object: vs([route({ headers: { request: { set: { ':path': '/x' } }, response: { remove: ['Host'] } } })]),
    want: invalid('invalid header ":path": header cannot have ":" prefix', 'invalid header "Host": cannot set Host header'),
  },
  {
    name: 'delegate VirtualService with gateways',
    object: obj('VirtualService', { gateways: ['gw'], http: [route()] }),
    want: invalid('delegate virtual service must have no gateways specified'),
  },
  {
    name: 'JWT claim routing needs a gateway',
    object: vs([route({ match: [{ headers: { '@request.auth.claims.group': { exact: 'admin' } } }] })]),
    want: invalid('JWT claim based routing (key: @request.auth.claims.group) is only supported for gateway, found no gateways: []'),
  },
  {
    name: 'legacy gateway name format warns',
    object: obj('VirtualService', { hosts: ['reviews.example.com'], gateways: ['gw.istio-system'], http: [route()] }),
    want: warned('using legacy gatewayName format "gw.istio-system"; prefer the <namespace>/<name> format: "istio-system/gw"'),
  },
  {
    name: 'unreachable rules warn',
    object: vs([route(), route(), route({ match: [{ uri: { prefix: '/a' } }] })]),
    want: warned('virtualService rule #1 not used (only the last rule can have no matches)', 'virtualService rule #2 not used (route without matches defined before)'),
  },
  {
    name: 'a prefix covered by an earlier one warns',
    object: vs([route({ name: 'all', match: [{ uri: { prefix: '/api' } }] }), route({ match: [{ uri: { prefix: '/api/v1' } }] })]),
    want: warned('virtualService rule #1 match #0 of prefix /api/v1 is not used (duplicate/overlapping match in rule #0 of prefix /api on "all")'),
  },
  {
    name: 'exportTo duplicates',
    object: vs([route()], { exportTo: ['shop', '.'] }),
    want: invalid('duplicate entries in exportTo: . and current namespace shop'),
  },
  {
    name: 'every error of a route, in istiod order',
    object: obj('VirtualService', { hosts: ['*'], http: [{ timeout: '1.5ms', retries: { attempts: 0, retryOn: '5xx' }, route: [dest('a', -1), dest('b', 0)] }, {}] }),
    want: invalid(
      'wildcard host * is not allowed for virtual services bound to the mesh gateway',
      'http retry policy configured when attempts are set to 0 (disabled)',
      'weight -1 < 0',
      'only durations to ms precision are supported',
      'HTTP route, redirect or direct_response is required',
    ),
  },

  // DestinationRule
  {
    name: 'seed 17 DestinationRule, once its unknown fields are dropped, is valid',
    object: (() => {
      const dr = seed('17-istio-destinationrule-order.yaml');
      delete dr.spec.trafficPolicy.circuitBreaker;
      return dr;
    })(),
    want: ok,
  },
  { name: 'a traffic policy with no fields', object: obj('DestinationRule', { host: 'reviews', trafficPolicy: {} }), want: invalid('traffic policy must have at least one field') },
  {
    name: 'duplicate subset names and bad labels',
    object: obj('DestinationRule', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v1', labels: { 'bad key': 'x' } }] }),
    want: invalid('duplicate subset names: v1', 'invalid tag key: "bad key"'),
  },
  {
    name: 'an invalid subset name',
    object: obj('DestinationRule', { host: 'reviews', subsets: [{ name: 'v1.0' }] }),
    want: invalid('subset name is invalid: v1.0'),
  },
  {
    name: 'an empty connection pool',
    object: obj('DestinationRule', { host: 'reviews', trafficPolicy: { connectionPool: {} } }),
    want: invalid('connection pool must have at least one field'),
  },
  {
    name: 'outlier detection bounds and durations',
    object: obj('DestinationRule', { host: 'reviews', trafficPolicy: { outlierDetection: { interval: '0s', baseEjectionTime: '30s', maxEjectionPercent: 150 } } }),
    want: invalid('duration must be greater than 1ms', 'percentage 150 is not in range 0..100'),
  },
  {
    name: 'deprecated consecutiveErrors warns',
    object: obj('DestinationRule', { host: 'reviews', trafficPolicy: { outlierDetection: { consecutiveErrors: 5 } } }),
    want: warned('outlier detection consecutive errors is deprecated, use consecutiveGatewayErrors or consecutive5xxErrors instead'),
  },
  {
    name: 'maglev table size must be prime',
    object: obj('DestinationRule', { host: 'reviews', trafficPolicy: { loadBalancer: { consistentHash: { httpHeaderName: 'x-user', maglev: { tableSize: 65536 } } } } }),
    want: invalid('tableSize must be a prime number for maglev'),
  },
  {
    name: 'mutual TLS needs a client certificate and key',
    object: obj('DestinationRule', { host: 'reviews', trafficPolicy: { tls: { mode: 'MUTUAL' } } }),
    want: invalid('client certificate required for mutual tls', 'private key required for mutual tls'),
  },
  {
    name: 'locality weights must total 100',
    object: obj('DestinationRule', {
      host: 'reviews',
      trafficPolicy: { loadBalancer: { localityLbSetting: { distribute: [{ from: 'us-east/*', to: { 'us-east/*': 50, 'us-west/*': 40 } }] } } },
    }),
    want: invalid('total locality weight 90 != 100'),
  },
  {
    name: 'an invalid host',
    object: obj('DestinationRule', { host: 'reviews..shop' }),
    // istiod names the rest of the host after the first label, as its check does.
    want: invalid('domain name ".shop" invalid (label "" invalid)'),
  },

  // Gateway
  { name: 'seed 15 Gateway (without the unknown redirect field) is valid', object: seed('15-istio-gateway.yaml'), want: ok },
  { name: 'no servers', object: obj('Gateway', { selector: { istio: 'ingressgateway' } }), want: invalid('gateway must have at least one server') },
  {
    name: 'HTTPS without TLS settings',
    object: obj('Gateway', { servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['a.example.com'] }] }),
    want: invalid('server must have TLS settings for HTTPS/TLS protocols'),
  },
  {
    name: 'SIMPLE TLS without certificates',
    object: obj('Gateway', { servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['a.example.com'], tls: { mode: 'SIMPLE' } }] }),
    want: invalid('SIMPLE TLS requires a server certificate', 'SIMPLE TLS requires a private key'),
  },
  {
    name: 'ports, protocols, short hosts and duplicate port names',
    object: obj('Gateway', {
      servers: [
        { port: { number: 0, name: 'http', protocol: 'HTTPX' }, hosts: ['shop'] },
        { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['ns/a.example.com'] },
      ],
    }),
    want: invalid(
      'short names (non FQDN) are not allowed',
      'invalid protocol "HTTPX", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP',
      'port number 0 must be in the range 1..65535',
      'port names in servers must be unique: duplicate name http',
    ),
  },
  {
    name: 'a gateway name must be a DNS label',
    object: obj('Gateway', { servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] }, { name: 'my.gateway' }),
    want: invalid('invalid gateway name: "my.gateway"'),
  },
  {
    name: 'httpsRedirect on a TLS server warns',
    object: obj('Gateway', {
      servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['*'], tls: { mode: 'SIMPLE', credentialName: 'cert', httpsRedirect: true } }],
    }),
    want: warned('tls.httpsRedirect should only be used with http servers'),
  },

  // ServiceEntry
  {
    name: 'an external API over TLS',
    object: obj('ServiceEntry', { hosts: ['api.razorpay.com'], ports: [{ number: 443, name: 'https', protocol: 'TLS' }], resolution: 'DNS', location: 'MESH_EXTERNAL' }),
    want: ok,
  },
  { name: 'no hosts', object: obj('ServiceEntry', { ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS' }), want: invalid('service entry must have at least one host') },
  {
    name: 'duplicate ports and the full wildcard',
    object: obj('ServiceEntry', {
      hosts: ['*'],
      ports: [
        { number: 443, name: 'https', protocol: 'TLS' },
        { number: 443, name: 'tls', protocol: 'TLS' },
      ],
      resolution: 'NONE',
    }),
    want: invalid('invalid host *', 'service entry port 443 already defined'),
  },
  {
    name: 'CIDR addresses need NONE or STATIC resolution',
    object: obj('ServiceEntry', { hosts: ['db.example.com'], addresses: ['10.0.0.0/24'], ports: [{ number: 5432, name: 'tcp', protocol: 'TCP' }], resolution: 'DNS' }),
    want: invalid('CIDR addresses are allowed only for NONE/STATIC resolution types'),
  },
  {
    name: 'STATIC endpoints must be IPs',
    object: obj('ServiceEntry', {
      hosts: ['db.example.com'],
      addresses: ['10.0.0.5'],
      ports: [{ number: 5432, name: 'tcp', protocol: 'TCP' }],
      resolution: 'STATIC',
      endpoints: [{ address: 'db1.example.com' }],
    }),
    want: invalid('endpoint address "db1.example.com" is not a valid IP address'),
  },

  // Metadata
  {
    name: 'istio.io/dry-run is for AuthorizationPolicy only',
    object: obj('VirtualService', { hosts: ['reviews'], http: [route()] }, { annotations: { 'istio.io/dry-run': 'true' } }),
    want: invalid('shop/x has unsupported annotation istio.io/dry-run, please remove the annotation'),
  },
];

for (const c of cases) {
  test(c.name, () => assert.deepEqual(validateIstioObject(c.object.kind!, c.object), c.want));
}

test('kinds without istiod rules here pass through', () => {
  assert.deepEqual(validateIstioObject('Sidecar', obj('Sidecar', {})), ok);
});
