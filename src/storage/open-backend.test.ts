// Checks how the `--datastore` flag values map to backends and which are rejected.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EtcdBackend } from './etcd/etcd-backend.ts';
import { DatastoreFlagError, openBackend } from './open-backend.ts';
import { SqliteBackend } from './sqlite/sqlite-backend.ts';

describe('openBackend', () => {
  it('opens sqlite as state.db in the data directory', async () => {
    const backend = await openBackend('sqlite', '/tmp/dabba-data');
    assert.ok(backend instanceof SqliteBackend);
    assert.equal(backend.path, '/tmp/dabba-data/state.db');
  });

  const etcd: [string, string][] = [
    ['etcd://127.0.0.1:2379', 'http://127.0.0.1:2379'],
    ['etcd://localhost:12379/', 'http://localhost:12379'],
    ['etcd://[::1]:2379', 'http://[::1]:2379'],
  ];
  for (const [value, endpoint] of etcd) {
    it(`opens etcd at ${endpoint} for ${value}`, async () => {
      const backend = await openBackend(value, '/tmp/dabba-data');
      assert.ok(backend instanceof EtcdBackend);
      assert.equal(backend.endpoint, endpoint);
      assert.equal(backend.prefix, '/dabba');
    });
  }

  const rejected: [string, string][] = [
    ['', 'unknown datastore'],
    ['postgres', 'unknown datastore'],
    ['SQLite', 'unknown datastore'],
    ['http://127.0.0.1:2379', 'unknown datastore'],
    ['etcd://127.0.0.1', 'missing port'],
    ['etcd://:2379', 'not a valid address'],
    ['etcd://127.0.0.1:2379/prefix', 'only a host and port are allowed'],
    ['etcd://user:pw@127.0.0.1:2379', 'only a host and port are allowed'],
    ['etcd://127.0.0.1:notaport', 'not a valid address'],
  ];
  for (const [value, reason] of rejected) {
    it(`rejects ${JSON.stringify(value)}: ${reason}`, async () => {
      await assert.rejects(
        () => openBackend(value, '/tmp/dabba-data'),
        (err: unknown) => {
          assert.ok(err instanceof DatastoreFlagError);
          assert.equal(
            err.message,
            `invalid --datastore ${JSON.stringify(value)}: ${reason}; expected "sqlite" or "etcd://HOST:PORT"`,
          );
          return true;
        },
      );
    });
  }
});
