// Tests for the shared cell formats: label maps, label selectors, container lists and load-balancer addresses.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { containerCells, formatLabels, formatLabelSelector, loadBalancerAddresses, selectorString, type LabelSelector } from './table-cells.ts';

describe('formatLabels', () => {
  const cases: [string, Record<string, string> | undefined, string][] = [
    ['unset', undefined, '<none>'],
    ['empty', {}, '<none>'],
    ['sorted by key', { tier: 'web', app: 'shop' }, 'app=shop,tier=web'],
    ['empty value', { 'node-role.kubernetes.io/control-plane': '' }, 'node-role.kubernetes.io/control-plane='],
  ];
  for (const [name, labels, want] of cases) it(name, () => assert.equal(formatLabels(labels), want));
});

describe('label selectors', () => {
  const cases: [string, LabelSelector | undefined, string, string][] = [
    ['unset', undefined, '', '<none>'],
    ['empty selects everything', {}, '', '<none>'],
    ['match labels sorted', { matchLabels: { tier: 'fe', app: 'web' } }, 'app=web,tier=fe', 'app=web,tier=fe'],
    [
      'expressions with sorted values, merged by key',
      {
        matchLabels: { tier: 'fe' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['prod', 'dev'] },
          { key: 'zone', operator: 'NotIn', values: ['b'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'app', operator: 'Exists' },
        ],
      },
      'app,!canary,env in (dev,prod),tier=fe,zone notin (b)',
      'app,!canary,env in (dev,prod),tier=fe,zone notin (b)',
    ],
  ];
  for (const [name, selector, bare, cell] of cases) {
    it(`${name}: string`, () => assert.equal(selectorString(selector), bare));
    it(`${name}: cell`, () => assert.equal(formatLabelSelector(selector), cell));
  }

  const invalid: [string, LabelSelector][] = [
    ['unknown operator', { matchExpressions: [{ key: 'a', operator: 'Equals', values: ['b'] }] }],
    ['In without values', { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }],
    ['Exists with values', { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['b'] }] }],
  ];
  for (const [name, selector] of invalid) {
    it(`${name} is an error`, () => assert.equal(formatLabelSelector(selector), '<error>'));
  }
});

describe('containerCells', () => {
  it('joins names and images', () => {
    assert.deepEqual(containerCells([{ name: 'web', image: 'nginx:1.27' }, { name: 'proxy', image: 'envoy:v1.34' }]), ['web,proxy', 'nginx:1.27,envoy:v1.34']);
  });
  it('is empty without containers', () => assert.deepEqual(containerCells(undefined), ['', '']));
});

describe('loadBalancerAddresses', () => {
  it('prefers IPs, deduplicates and sorts, and never clips', () => {
    const status = { ingress: [{ ip: '203.0.113.9' }, { hostname: 'a-very-long-load-balancer.example.com' }, { ip: '203.0.113.9' }, { ip: '198.51.100.7', hostname: 'x' }] };
    assert.equal(loadBalancerAddresses(status), '198.51.100.7,203.0.113.9,a-very-long-load-balancer.example.com');
  });
  it('is empty without ingress points', () => assert.equal(loadBalancerAddresses(undefined), ''));
});
