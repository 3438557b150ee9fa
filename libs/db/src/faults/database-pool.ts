import pg from 'pg';
import type { ConnectionFaults } from './connection-faults';

/** A connect that takes longer than this fails (and the caller answers 503) instead of hanging. */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * A node-postgres pool whose every `error` event is handled: the pool's own (an idle client lost)
 * and each checked-out client's (lost while in use; the query in flight fails by itself).
 */
export function createDatabasePool(name: string, faults: ConnectionFaults, config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool({ connectionTimeoutMillis: CONNECT_TIMEOUT_MS, ...config });
  // Every client, idle or checked out, reports its own loss; the pool re-emits an idle client's
  // error on itself, which must have a listener too but is already counted.
  pool.on('connect', (client) => client.on('error', (error) => faults.record(name, error)));
  pool.on('error', () => undefined);
  return pool;
}
