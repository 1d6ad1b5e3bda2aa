// Turns the `--datastore` flag into a storage Backend: the embedded SQLite file or an external etcd.
import { join } from 'node:path';
import type { Backend } from './backend.ts';
import { SqliteBackend } from './sqlite/sqlite-backend.ts';

/** Where dabba keeps its keys inside a shared etcd, so it can sit beside other users of that etcd. */
export const ETCD_PREFIX = '/dabba';

export class DatastoreFlagError extends Error {
  readonly code = 'DATASTORE_FLAG_INVALID';
  readonly value: string;
  constructor(value: string, reason: string) {
    super(`invalid --datastore ${JSON.stringify(value)}: ${reason}; expected "sqlite" or "etcd://HOST:PORT"`);
    this.value = value;
  }
}

/**
 * Returns an unstarted backend for `datastore` ("sqlite" → `<dataDir>/state.db`, or "etcd://HOST:PORT").
 * The etcd client (gRPC, protobuf) is loaded only when asked for: it would double start-up time and memory.
 */
export async function openBackend(datastore: string, dataDir: string): Promise<Backend> {
  if (datastore === 'sqlite') return new SqliteBackend({ path: join(dataDir, 'state.db') });
  if (!datastore.startsWith('etcd://')) throw new DatastoreFlagError(datastore, 'unknown datastore');
  let url: URL;
  try {
    url = new URL(datastore);
  } catch {
    throw new DatastoreFlagError(datastore, 'not a valid address');
  }
  if (!url.hostname) throw new DatastoreFlagError(datastore, 'missing host');
  if (!url.port) throw new DatastoreFlagError(datastore, 'missing port');
  if (url.username || url.password || (url.pathname !== '' && url.pathname !== '/') || url.search || url.hash) {
    throw new DatastoreFlagError(datastore, 'only a host and port are allowed');
  }
  const { EtcdBackend } = await import('./etcd/etcd-backend.ts');
  return new EtcdBackend({ endpoint: `http://${url.host}`, prefix: ETCD_PREFIX });
}
