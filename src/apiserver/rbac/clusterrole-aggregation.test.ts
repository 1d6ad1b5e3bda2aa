import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../registry/kobject.ts';
import { aggregatedRules, ClusterRoleAggregator } from './clusterrole-aggregation.ts';
import type { Store } from '../registry/store.ts';
import { systemContext } from '../registry/request-context.ts';

const role = (name: string, labels: Record<string, string>, rules?: KObject['rules'], selector?: Record<string, string>): KObject => ({
  metadata: { name, labels },
  ...(rules ? { rules } : {}),
  ...(selector ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: selector }] } } : {}),
});
const get = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };
const list = { verbs: ['list'], apiGroups: [''], resources: ['pods'] };

test('aggregated rules come from matching roles in name order, each rule once, never from the role itself', () => {
  const agg = role('agg', { pick: 'yes' }, [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], { pick: 'yes' });
  const roles = [agg, role('zeta', { pick: 'yes' }, [list, get]), role('alpha', { pick: 'yes' }, [get]), role('other', {}, [{ verbs: ['delete'], apiGroups: [''], resources: ['pods'] }])];
  assert.deepEqual(aggregatedRules(agg, roles), [get, list]);
  assert.equal(aggregatedRules(role('plain', {}, [get]), roles), undefined);
});

test('the aggregator writes only roles whose rules differ, until nothing changes', async () => {
  const roles = new Map<string, KObject>([
    ['view', role('view', {}, undefined, { 'to-view': 'true' })],
    ['reader', role('reader', { 'to-view': 'true' }, [get])],
  ]);
  const writes: string[] = [];
  const store = {
    async update(_ns: string | undefined, name: string, obj: KObject) {
      writes.push(name);
      roles.set(name, obj);
      return { object: obj, created: false };
    },
  } as unknown as Store;
  const a = new ClusterRoleAggregator({ clusterRoles: () => roles.values() }, store, systemContext, () => {});
  await a.enqueue();
  assert.deepEqual(roles.get('view')!.rules, [get]);
  assert.deepEqual(writes, ['view']);
  await a.enqueue();
  assert.deepEqual(writes, ['view'], 'an up-to-date role is not written again');
});
