import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, PodStatus } from '../pod-worker-types.ts';
import { StatusManager, type StatusClient } from './status-manager.ts';

const quiet = { info() {}, error() {}, debug() {} };

test("status patches are strategic: conditions merge by type, and a condition's dropped fields are sent as null", async () => {
  const patches: { patch: unknown; type: string; sub?: string }[] = [];
  const client = {
    patch: async (_ref: unknown, _ns: unknown, _name: unknown, patch: unknown, type: string, sub?: string) => {
      patches.push({ patch, type, sub });
      return {} as never;
    },
    delete: async () => ({}) as never,
  } as unknown as StatusClient;
  const sm = new StatusManager(client, quiet);
  const pod = {
    metadata: { uid: 'u1', namespace: 'batch', name: 'pi-0-abcde' },
    spec: { containers: [] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [main]' }] },
  } as unknown as Pod;
  const ready: PodStatus = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } as PodStatus;
  sm.set(pod, ready);
  await sm.flush();
  assert.deepEqual(patches, [
    { patch: { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', reason: null, message: null }] } }, type: 'strategic', sub: 'status' },
  ]);
});
