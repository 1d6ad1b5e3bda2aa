import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../registry/kobject.ts';
import { strategy } from './strategy.ts';

const node = (o: Partial<KObject> = {}): KObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, ...o });
const messages = (errs: { message(): string }[]) => errs.map((e) => e.message());

test('defaulting keeps podCIDR and podCIDRs in step and fills allocatable from capacity', () => {
  const cases: { name: string; input: KObject; spec: KObject['spec']; allocatable?: Record<string, string> }[] = [
    { name: 'legacy podCIDR', input: node({ spec: { podCIDR: '10.244.0.0/24' } }), spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] } },
    {
      name: 'podCIDRs win',
      input: node({ spec: { podCIDR: '10.1.0.0/24', podCIDRs: ['10.244.0.0/24', 'fd00::/64'] } }),
      spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24', 'fd00::/64'] },
    },
    {
      name: 'allocatable',
      input: node({ spec: {}, status: { capacity: { cpu: '4', pods: '110' } } }),
      spec: {},
      allocatable: { cpu: '4', pods: '110' },
    },
  ];
  for (const c of cases) {
    strategy.defaults!(c.input);
    assert.deepEqual(c.input.spec, c.spec, c.name);
    assert.deepEqual(c.input.status?.allocatable, c.allocatable, c.name);
  }
});

test('node specs are validated with upstream messages', () => {
  const cases: { name: string; obj: KObject; want: string[] }[] = [
    {
      name: 'a kubelet-registered node',
      obj: node({
        spec: { podCIDRs: ['10.244.0.0/24'], taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] },
        status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' } },
      }),
      want: [],
    },
    {
      name: 'bad taints, reported under metadata.taints as upstream does',
      obj: node({
        spec: {
          taints: [
            { key: 'a', value: 'b', effect: 'Sometimes' },
            { key: 'a', effect: '' },
            { key: 'dup', effect: 'NoExecute' },
            { key: 'dup', value: 'x', effect: 'NoExecute' },
          ],
        },
      }),
      want: [
        'metadata.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
        'metadata.taints[1].effect: Required value',
        'metadata.taints[3]: Duplicate value: core.Taint{Key:"dup", Value:"x", Effect:"NoExecute", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair',
      ],
    },
    {
      name: 'pod CIDRs',
      obj: node({ spec: { podCIDRs: ['10.244.0.0/24', '10.245.0.0/24'] } }),
      want: ['spec.podCIDRs: Invalid value: []string{"10.244.0.0/24", "10.245.0.0/24"}: may specify no more than one CIDR for each IP family'],
    },
    { name: 'dual stack', obj: node({ spec: { podCIDRs: ['10.244.0.0/24', 'fd00:10:244::/64'] } }), want: [] },
    {
      name: 'not a CIDR',
      obj: node({ spec: { podCIDRs: ['10.244.0.0'] } }),
      want: ['spec.podCIDRs[0]: Invalid value: "10.244.0.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'],
    },
    {
      name: 'negative and fractional capacity',
      obj: node({ status: { capacity: { cpu: '-1', pods: '1.5' } } }),
      want: [
        'status.capacity.cpu: Invalid value: "-1": must be greater than or equal to 0',
        'status.capacity.pods: Invalid value: resource.Quantity{i:resource.int64Amount{value:15, scale:-1}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"", Format:"DecimalSI"}: must be an integer',
        'status.allocatable.cpu: Invalid value: "-1": must be greater than or equal to 0',
        'status.allocatable.pods: Invalid value: resource.Quantity{i:resource.int64Amount{value:15, scale:-1}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"", Format:"DecimalSI"}: must be an integer',
      ],
    },
  ];
  for (const c of cases) {
    strategy.defaults!(c.obj);
    assert.deepEqual(messages(strategy.validate!(c.obj)), c.want, c.name);
  }
});

test('node updates keep status and may not move pod CIDRs, provider or external ID', () => {
  const old = node({ spec: { podCIDRs: ['10.244.0.0/24'], providerID: 'dabba://node-1' }, status: { capacity: { cpu: '4' } } });
  const cases: { name: string; obj: KObject; want: string[] }[] = [
    { name: 'cordon', obj: node({ spec: { podCIDRs: ['10.244.0.0/24'], providerID: 'dabba://node-1', unschedulable: true } }), want: [] },
    {
      name: 'moved',
      obj: node({ spec: { podCIDRs: ['10.245.0.0/24'], providerID: 'other', externalID: 'x' } }),
      want: [
        'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
        'spec.providerID: Forbidden: node updates may not change providerID except from "" to valid',
        'spec.externalID: Forbidden: may not be updated',
      ],
    },
  ];
  for (const c of cases) {
    strategy.prepareForUpdate!(c.obj, old);
    assert.deepEqual(c.obj.status, old.status, c.name);
    assert.deepEqual(messages(strategy.validateUpdate!(c.obj, old)), c.want, c.name);
  }
  assert.deepEqual(strategy.selectableFields!(node({ spec: { unschedulable: true } })), { 'spec.unschedulable': 'true' });
  assert.deepEqual(strategy.selectableFields!(node()), { 'spec.unschedulable': 'false' });
});

test('a node may be created with status, never with the removed config source', () => {
  const obj = node({ spec: { configSource: { configMap: {} } }, status: { capacity: { cpu: '2' }, config: {} } });
  strategy.prepareForCreate!(obj);
  assert.deepEqual(obj, node({ spec: {}, status: { capacity: { cpu: '2' } } }));
  assert.deepEqual(strategy.warnings!(node({ spec: { externalID: 'i-1' } })), ['spec.externalID: this field is deprecated, and is unused by Kubernetes']);
});
