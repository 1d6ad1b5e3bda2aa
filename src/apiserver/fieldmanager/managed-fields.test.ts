import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { printManager } from './apply-conflict.ts';
import { decodeManagedFields, encodeManagedFields, isResetManagedFields, managerIdentifier, ManagedFieldsDecodeError } from './managed-fields.ts';

const entry = (manager: string, operation: string, time?: string, extra: Record<string, unknown> = {}) => ({
  manager,
  operation,
  apiVersion: 'apps/v1',
  ...(time ? { time } : {}),
  fieldsType: 'FieldsV1',
  fieldsV1: { 'f:spec': { 'f:replicas': {} } },
  ...extra,
});

describe('managed fields entries', () => {
  it('identify appliers without their API version and updaters with it', () => {
    assert.equal(managerIdentifier({ manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1' }), '{"manager":"kubectl","operation":"Apply"}');
    assert.equal(
      managerIdentifier({ manager: 'k', operation: 'Update', apiVersion: 'v1', subresource: 'status' }),
      '{"manager":"k","operation":"Update","apiVersion":"v1","subresource":"status"}',
    );
  });

  it('round-trip, sorted Apply first, then by time, manager, version and subresource', () => {
    const given = [
      entry('b', 'Update', '2025-01-01T00:00:05Z'),
      entry('a', 'Update', '2025-01-01T00:00:05Z', { subresource: 'status' }),
      entry('z', 'Apply', '2025-01-01T00:00:09Z'),
      entry('c', 'Update', '2025-01-01T00:00:01Z'),
      entry('y', 'Apply'),
    ];
    const out = encodeManagedFields(decodeManagedFields(given))!;
    assert.deepEqual(out.map((e) => e.manager), ['y', 'z', 'c', 'a', 'b']);
    assert.deepEqual(out[3], given[1]);
  });

  it('refuse entries upstream cannot decode', () => {
    const cases: [unknown, string][] = [
      [{ ...entry('a', 'Patch') }, 'operation must be `Apply` or `Update`'],
      [{ ...entry('a', 'Apply'), apiVersion: '' }, 'apiVersion must not be empty'],
      [{ ...entry('a', 'Apply'), fieldsType: undefined }, 'missing fieldsType in managed fields entry 0'],
      [{ ...entry('a', 'Apply'), fieldsType: 'FieldsV2' }, 'invalid fieldsType "FieldsV2" in managed fields entry 0'],
    ];
    for (const [e, message] of cases) assert.throws(() => decodeManagedFields([e]), (err: unknown) => err instanceof ManagedFieldsDecodeError && err.message === message);
  });

  it('an empty list or a single empty entry asks for a reset', () => {
    assert.ok(isResetManagedFields([]));
    assert.ok(isResetManagedFields([{}]));
    assert.ok(!isResetManagedFields(undefined));
    assert.ok(!isResetManagedFields([{ fieldsV1: {} }]));
  });

  it('name managers in conflicts as upstream prints them', () => {
    assert.equal(printManager('{"manager":"kubectl","operation":"Apply"}'), '"kubectl"');
    assert.equal(printManager('{"manager":"kube-controller-manager","operation":"Update","apiVersion":"apps/v1"}'), '"kube-controller-manager" using apps/v1');
    assert.equal(printManager('{"manager":"x","operation":"Update","apiVersion":"v1","subresource":"status"}'), '"x" with subresource "status" using v1');
    assert.equal(printManager('not json'), '"not json"');
  });
});
