import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventExpiry, lastSeen } from './event-expiry.ts';
import { StatusError } from '../../machinery/status-error.ts';
import type { Store } from '../registry/store.ts';
import type { KObject } from '../registry/kobject.ts';

const event = (name: string, rv: string, times: Record<string, unknown>): KObject =>
  ({ apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: 'default', resourceVersion: rv, creationTimestamp: '2026-11-26T06:00:00Z' }, ...times }) as KObject;

describe('event expiry', () => {
  it('counts from the latest of an Event\'s timestamps', () => {
    assert.equal(lastSeen(event('a', '1', { lastTimestamp: '2026-11-26T07:00:00Z', firstTimestamp: '2026-11-26T06:30:00Z' }) as never), Date.parse('2026-11-26T07:00:00Z'));
    assert.equal(lastSeen(event('b', '1', { eventTime: '2026-11-26T07:10:00.123456Z', series: { lastObservedTime: '2026-11-26T07:20:00.000001Z' } }) as never), Date.parse('2026-11-26T07:20:00.000Z'));
    assert.equal(lastSeen(event('c', '1', { lastTimestamp: null }) as never), Date.parse('2026-11-26T06:00:00Z'));
  });

  it('deletes what was last seen longer than the TTL ago, with its resourceVersion as precondition, page by page', async () => {
    const items = [
      event('old', '5', { lastTimestamp: '2026-11-26T06:00:00Z' }),
      event('bumped', '6', { firstTimestamp: '2026-11-26T06:00:00Z', lastTimestamp: '2026-11-26T07:30:00Z' }),
      event('raced', '7', { lastTimestamp: '2026-11-26T06:10:00Z' }),
      event('gone', '8', { lastTimestamp: '2026-11-26T06:10:00Z' }),
    ];
    const deletes: string[] = [];
    const pages: (string | undefined)[] = [];
    const store = {
      async list(_ns: string | undefined, q: { limit?: number; continue?: string }) {
        pages.push(q.continue);
        return q.continue ? { items: items.slice(2), resourceVersion: '9' } : { items: items.slice(0, 2), resourceVersion: '9', continue: 'next' };
      },
      async delete(ns: string, name: string, o: { preconditions?: { resourceVersion?: string } }) {
        if (name === 'raced') throw StatusError.conflict({ group: '', resource: 'events' }, name, 'the object has been modified');
        if (name === 'gone') throw StatusError.notFound({ group: '', resource: 'events' }, name);
        deletes.push(`${ns}/${name}@${o.preconditions?.resourceVersion}`);
        return { object: {}, deleted: true };
      },
    } as unknown as Store;
    const logged: string[] = [];
    const expiry = new EventExpiry({ store: () => store, ttlMs: 60 * 60_000, now: () => Date.parse('2026-11-26T07:45:00Z'), log: (m) => logged.push(m) });
    assert.equal(await expiry.sweep(), 1);
    assert.deepEqual(deletes, ['default/old@5']);
    assert.deepEqual(pages, [undefined, 'next']);
    assert.deepEqual(logged, []);
  });
});
