/**
 * Bindings that fail on purpose, for the failure contract: KV and D1 that
 * work until told to throw or hang, KV that refuses to be listed, and a
 * binding that fails any use at all (the proof that a request never read it).
 */

type Mode = 'ok' | 'throw' | 'hang';

function failure(mode: Mode, what: string): Promise<never> | undefined {
  if (mode === 'throw') return Promise.reject(new Error(`${what} is down`));
  if (mode === 'hang') return new Promise(() => {});
  return undefined;
}

/** A KV binding that works until told to throw or to hang. */
export function switchableKv(real: KVNamespace) {
  let mode: Mode = 'ok';
  const kv = new Proxy(real, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => failure(mode, 'KV') ?? value.apply(target, args);
    },
  });
  return { kv, set: (next: Mode) => void (mode = next) };
}

/**
 * A D1 binding that works until told to throw or to hang, optionally only
 * after `after` more queries have worked (to fail a route's second query).
 * Statements and sessions are wrapped too, so the failure comes where a real
 * one would: when a query runs.
 */
export function switchableD1(real: D1Database) {
  let mode: Mode = 'ok';
  let queries = 0;
  let failFrom = 0;
  const wrap = <T extends object>(target: T): T => new Proxy(target, {
    get(inner, prop) {
      const value = Reflect.get(inner, prop);
      if (typeof value !== 'function') return value;
      if (prop === 'prepare' || prop === 'bind' || prop === 'withSession') {
        return (...args: unknown[]) => wrap(value.apply(inner, args));
      }
      return (...args: unknown[]) => {
        queries++;
        return (queries > failFrom ? failure(mode, 'D1') : undefined) ?? value.apply(inner, args);
      };
    },
  });
  const set = (next: Mode, after = 0): void => {
    mode = next;
    failFrom = queries + after;
  };
  return { db: wrap(real), set, queries: () => queries };
}

/** A KV binding whose `list` fails the request: reader routes must never list KV. */
export function unlistableKv(real: KVNamespace): KVNamespace {
  return new Proxy(real, {
    get(target, prop) {
      if (prop === 'list') return () => Promise.reject(new Error('KV list on a reader route'));
      const value = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * A binding whose every method rejects. A route given it in place of KV or D1
 * answers 503 if it touches storage, so any other status proves it did not.
 */
export function untouchable(what: string): never {
  return new Proxy({}, { get: () => () => Promise.reject(new Error(`${what} was used`)) }) as never;
}
