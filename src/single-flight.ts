/**
 * One read at a time per source and key: callers that arrive while a read is
 * under way share its promise instead of starting their own. Without this, a
 * memo expiring under load sends every concurrent request to KV at once.
 */
const inFlight = new WeakMap<object, Map<string, Promise<unknown>>>();

export function singleFlight<T>(source: object, key: string, read: () => Promise<T>): Promise<T> {
  let reads = inFlight.get(source);
  if (!reads) inFlight.set(source, (reads = new Map()));
  const running = reads.get(key) as Promise<T> | undefined;
  if (running) return running;
  const promise = read().finally(() => reads.delete(key));
  reads.set(key, promise);
  return promise;
}
