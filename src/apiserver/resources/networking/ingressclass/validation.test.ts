// Table tests for IngressClass defaulting and validation.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../registry/kobject.ts';
import { strategy } from './strategy.ts';

const ic = (spec: Record<string, unknown>): KObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx' }, spec });

function created(input: KObject): KObject {
  const obj = structuredClone(input);
  strategy.defaults!(obj);
  strategy.prepareForCreate!(obj);
  return obj;
}

describe('IngressClass validation', () => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    ['the ingress-nginx controller', { controller: 'k8s.io/ingress-nginx' }, []],
    ['cluster-scoped parameters (scope defaulted)', { controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.net', kind: 'IngressParameters', name: 'external-lb' } }, []],
    ['no controller', {}, ['spec.controller: Required value']],
    ['a controller without domain', { controller: 'nginx' }, ['spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")']],
    [
      'a namespace on cluster-scoped parameters',
      { controller: 'k8s.io/ingress-nginx', parameters: { kind: 'P', name: 'p', scope: 'Cluster', namespace: 'default' } },
      ["spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'"],
    ],
    [
      'namespaced parameters without namespace',
      { controller: 'k8s.io/ingress-nginx', parameters: { kind: 'P', name: 'p', scope: 'Namespace' } },
      ["spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'"],
    ],
    [
      'an unknown scope',
      { controller: 'k8s.io/ingress-nginx', parameters: { kind: 'P', name: 'p', scope: 'Global' } },
      ['spec.parameters.scope: Unsupported value: "Global": supported values: "Cluster", "Namespace"'],
    ],
    [
      'parameters without kind and name',
      { controller: 'k8s.io/ingress-nginx', parameters: {} },
      ['spec.parameters.kind: Required value', 'spec.parameters.name: Required value'],
    ],
  ];
  for (const [name, spec, want] of cases) {
    it(name, () => assert.deepEqual(strategy.validate!(created(ic(spec))).map((e) => e.message()), want));
  }

  it('defaults the parameters scope to Cluster', () => {
    assert.equal(created(ic({ controller: 'k8s.io/ingress-nginx', parameters: { kind: 'P', name: 'p' } })).spec.parameters.scope, 'Cluster');
  });

  it('keeps the controller immutable', () => {
    const old = created(ic({ controller: 'k8s.io/ingress-nginx' }));
    const next = ic({ controller: 'example.com/other' });
    strategy.prepareForUpdate!(next, old);
    assert.equal(next.metadata.generation, 2);
    assert.deepEqual(strategy.validateUpdate!(next, old).map((e) => e.message()), ['spec.controller: Invalid value: "example.com/other": field is immutable']);
  });
});
