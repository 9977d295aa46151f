/**
 * The worker's access to the archive index in D1. Reads go through one D1
 * session per request that starts at the primary (`first-primary`): a
 * response a cache may keep must not be built from a replica that has not
 * yet seen an editor's write, or a purge that followed the write would be
 * undone. The session's later reads may come from a replica, never older
 * than its first. Writes go to the primary. Every call has a timeout and is counted
 * for `Server-Timing`; a throw or a hang is a {@link StorageUnavailableError},
 * handled like a KV failure.
 */
import type { D1Database, D1DatabaseSession } from '@cloudflare/workers-types';
import type { Meter } from '../http/server-timing.ts';
import { StorageUnavailableError, storageCall } from './failures.ts';
import type { Statement } from './index-sql.ts';

/**
 * Failures D1 documents as passing (its storage was busy or reset, the
 * connection dropped): a read is tried again, up to three times after pauses
 * of 25, 100 and 400 ms and never past its timeout, before the request falls
 * back to a stale copy or a 503. Timeouts are not retried: the time is spent.
 */
const TRANSIENT = /internal error|network connection lost|overloaded|reset|SQLITE_BUSY|database is locked|try again/i;
const RETRY_PAUSE_MS = 25;
const RETRIES = 3;

export interface IndexDb {
  /** The rows a read returns. */
  all<T>(statement: Statement): Promise<T[]>;
  /** The first row a read returns, or null. */
  first<T>(statement: Statement): Promise<T | null>;
  /** The rows of several reads run as one batch: one round trip, and one consistent view of the index. */
  batch(statements: Statement[]): Promise<unknown[][]>;
  /** Runs writes as one atomic batch on the primary; returns how many rows each statement returned (`RETURNING`). */
  write(statements: Statement[]): Promise<number[]>;
}

/**
 * Index access for one request (or one scheduled run). `binding` may be
 * missing when the deployment has no D1 database bound: every call then fails
 * as unavailable, with a message that says so.
 */
export function indexDb(binding: D1Database | undefined, timeoutMs: number, meter?: Meter): IndexDb {
  let session: D1Database | D1DatabaseSession | undefined;
  const reader = () => {
    if (!binding) throw new StorageUnavailableError('no D1 database is bound as INDEX (see wrangler.toml)');
    // The Sessions API where the runtime has it; a plain binding elsewhere.
    session ??= typeof binding.withSession === 'function' ? binding.withSession('first-primary') : binding;
    return session;
  };
  const call = <T>(what: string, run: () => Promise<T>, retry = false): Promise<T> => {
    const attempt = async () => {
      const started = Date.now();
      for (let tries = 1; ; tries++) {
        try {
          return await storageCall(`D1 ${what}`, timeoutMs, run);
        } catch (error) {
          // A read D1 reports as a passing failure is tried again, with growing pauses, within the call's time.
          const pause = RETRY_PAUSE_MS * 4 ** (tries - 1);
          const transient = error instanceof StorageUnavailableError && TRANSIENT.test(error.message);
          if (!retry || !transient || tries > RETRIES || Date.now() - started + pause >= timeoutMs) throw error;
          await new Promise((resolve) => setTimeout(resolve, pause));
        }
      }
    };
    return meter ? meter.call('d1', attempt) : attempt();
  };
  return {
    async all<T>(statement: Statement) {
      const db = reader();
      const result = await call('read', () => db.prepare(statement.sql).bind(...statement.params).all<T>(), true);
      return result.results;
    },
    async first<T>(statement: Statement) {
      const db = reader();
      return call('read', () => db.prepare(statement.sql).bind(...statement.params).first<T>(), true);
    },
    async batch(statements: Statement[]) {
      const db = reader();
      const results = await call('read', () => db.batch(statements.map((s) => db.prepare(s.sql).bind(...s.params))), true);
      return results.map((r) => r.results ?? []);
    },
    async write(statements: Statement[]) {
      if (!binding) throw new StorageUnavailableError('no D1 database is bound as INDEX (see wrangler.toml)');
      if (statements.length === 0) return [];
      const results = await call('write', () => binding.batch(statements.map((s) => binding.prepare(s.sql).bind(...s.params))));
      return results.map((r) => r.results?.length ?? 0);
    },
  };
}
