// Table tests for Ingress validation and warnings, including the seed's production Ingress.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { KObject } from '../../../registry/kobject.ts';
import { strategy } from './strategy.ts';

const seedIngress = (): KObject => parse(readFileSync(new URL('../../../../../examples/seed/06-ingress-main.yaml', import.meta.url), 'utf8'));

function created(input: KObject): KObject {
  const ing = structuredClone(input);
  strategy.defaults!(ing);
  strategy.prepareForCreate!(ing);
  return ing;
}

const backend = { service: { name: 'web', port: { number: 80 } } };
const rule = (path: Record<string, unknown>, host = 'shop.example.com') => ({ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend, ...path }] } });
const ingress = (spec: Record<string, unknown>, annotations?: Record<string, string>): KObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'shop', namespace: 'default', annotations },
  spec,
});

describe('Ingress validation', () => {
  it('accepts the seed Ingress with the deprecation warning and the rate-limit hints', () => {
    const ing = created(seedIngress());
    assert.deepEqual(strategy.validate!(ing), []);
    assert.deepEqual(strategy.warnings!(ing), [
      `annotation "kubernetes.io/ingress.class" is deprecated, please use 'spec.ingressClassName' instead`,
      'annotation "nginx.ingress.kubernetes.io/rate-limit" is not an ingress-nginx annotation and has no effect; for rate limiting use nginx.ingress.kubernetes.io/limit-rps, nginx.ingress.kubernetes.io/limit-rpm or nginx.ingress.kubernetes.io/limit-connections',
      'annotation "nginx.ingress.kubernetes.io/rate-limit-window" is not an ingress-nginx annotation and has no effect; for rate limiting use nginx.ingress.kubernetes.io/limit-rps, nginx.ingress.kubernetes.io/limit-rpm or nginx.ingress.kubernetes.io/limit-connections',
    ]);
    assert.deepEqual(ing.status, { loadBalancer: {} });
    assert.equal(ing.metadata.generation, 1);
  });

  const accepted: [string, KObject][] = [
    ['a default backend only', ingress({ defaultBackend: backend })],
    ['a wildcard host', ingress({ rules: [rule({}, '*.swiggy.com')] })],
    ['a rule without host', ingress({ rules: [rule({}, '')] })],
    ['a named service port', ingress({ rules: [rule({ backend: { service: { name: 'web', port: { name: 'http' } } } })] })],
    ['an empty ImplementationSpecific path', ingress({ rules: [rule({ path: '', pathType: 'ImplementationSpecific' })] })],
    ['a resource backend', ingress({ rules: [rule({ backend: { resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static' } } })] })],
    ['class name and matching annotation', ingress({ ingressClassName: 'nginx', defaultBackend: backend }, { 'kubernetes.io/ingress.class': 'nginx' })],
  ];
  for (const [name, ing] of accepted) it(`accepts ${name}`, () => assert.deepEqual(strategy.validate!(created(ing)), []));

  const p0 = 'spec.rules[0].http.paths[0]';
  const rejected: [string, KObject, string[]][] = [
    ['neither rules nor a default backend', ingress({}), ['spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified']],
    ['an empty rule list', ingress({ rules: [] }), ['spec: Invalid value: []networking.IngressRule{}: either `defaultBackend` or `rules` must be specified']],
    ['a path without pathType', ingress({ rules: [rule({ pathType: undefined })] }), [`${p0}.pathType: Required value: pathType must be specified`]],
    [
      'an unknown pathType',
      ingress({ rules: [rule({ pathType: 'Regex' })] }),
      [`${p0}.pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"`],
    ],
    ['a relative Prefix path', ingress({ rules: [rule({ path: 'orders' })] }), [`${p0}.path: Invalid value: "orders": must be an absolute path`]],
    ['a double slash', ingress({ rules: [rule({ path: '/a//b', pathType: 'Exact' })] }), [`${p0}.path: Invalid value: "/a//b": must not contain '//'`]],
    ['a trailing /..', ingress({ rules: [rule({ path: '/a/..' })] }), [`${p0}.path: Invalid value: "/a/..": cannot end with '/..'`]],
    [
      'a relative ImplementationSpecific path',
      ingress({ rules: [rule({ path: 'x', pathType: 'ImplementationSpecific' })] }),
      [`${p0}.path: Invalid value: "x": must be an absolute path`],
    ],
    ['an IP host', ingress({ rules: [rule({}, '10.0.0.1')] }), ['spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address']],
    [
      'a wildcard in the middle of a host',
      ingress({ rules: [rule({}, 'api.*.com')] }),
      [
        `spec.rules[0].host: Invalid value: "api.*.com": a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      ],
    ],
    [
      'a backend Service name that is not a DNS-1035 label',
      ingress({ rules: [rule({ backend: { service: { name: 'Order_Service', port: { number: 80 } } } })] }),
      [
        `${p0}.backend.service.name: Invalid value: "Order_Service": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
      ],
    ],
    ['a backend without port', ingress({ rules: [rule({ backend: { service: { name: 'web' } } })] }), [`${p0}.backend: Required value: port name or number is required`]],
    [
      'a backend with port name and number',
      ingress({ rules: [rule({ backend: { service: { name: 'web', port: { name: 'http', number: 80 } } } })] }),
      [`${p0}.backend: Invalid value: "": cannot set both port name & port number`],
    ],
    [
      'a backend port out of range',
      ingress({ rules: [rule({ backend: { service: { name: 'web', port: { number: 70000 } } } })] }),
      [`${p0}.backend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive`],
    ],
    ['an empty backend', ingress({ rules: [rule({ backend: {} })] }), [`${p0}.backend: Invalid value: "": resource or service backend is required`]],
    ['an HTTP rule without paths', ingress({ rules: [{ host: 'a.example.com', http: { paths: [] } }] }), ['spec.rules[0].http.paths: Required value']],
    [
      'an invalid TLS secret name',
      ingress({ defaultBackend: backend, tls: [{ hosts: ['api.swiggy.com'], secretName: 'Swiggy_TLS' }] }),
      [
        `spec.tls[0].secretName: Invalid value: "Swiggy_TLS": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      ],
    ],
    [
      'a class annotation that disagrees with ingressClassName',
      ingress({ ingressClassName: 'traefik', defaultBackend: backend }, { 'kubernetes.io/ingress.class': 'nginx' }),
      ['annotations.kubernetes.io/ingress.class: Invalid value: "nginx": must match `ingressClassName` when both are specified'],
    ],
  ];
  for (const [name, ing, want] of rejected) {
    it(`rejects ${name}`, () => assert.deepEqual(strategy.validate!(created(ing)).map((e) => e.message()), want));
  }
});

describe('Ingress updates', () => {
  const stored = () => {
    const ing = created(seedIngress());
    ing.metadata.resourceVersion = '5';
    ing.status = { loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } };
    return ing;
  };

  it('keeps status and generation when only annotations change, and stays quiet about the class annotation', () => {
    const old = stored();
    const next = structuredClone(seedIngress());
    next.metadata.annotations = { ...next.metadata.annotations, team: 'payments' };
    strategy.prepareForUpdate!(next, old);
    assert.deepEqual(next.status, old.status);
    assert.equal(next.metadata.generation, 1);
    assert.deepEqual(strategy.validateUpdate!(next, old), []);
    assert.equal(strategy.warnings!(next, old).length, 2, 'only the two nginx hints');
  });

  it('bumps the generation on a spec change and says nothing when annotations stay', () => {
    const old = stored();
    const next = structuredClone(old);
    next.spec.rules[0].host = 'api2.swiggy.com';
    strategy.prepareForUpdate!(next, old);
    assert.equal(next.metadata.generation, 2);
    assert.deepEqual(strategy.warnings!(next, old), []);
  });

  it('suggests the annotation a typo was meant to be', () => {
    const ing = created(ingress({ defaultBackend: backend }, { 'nginx.ingress.kubernetes.io/ssl-redirct': 'true' }));
    assert.deepEqual(strategy.warnings!(ing), [
      'annotation "nginx.ingress.kubernetes.io/ssl-redirct" is not an ingress-nginx annotation and has no effect; did you mean "nginx.ingress.kubernetes.io/ssl-redirect"?',
    ]);
  });
});
