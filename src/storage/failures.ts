/**
 * How storage fails, for KV and D1 alike: a call that throws or hangs past its
 * timeout is {@link StorageUnavailableError} (a 503, or a stale copy, never a
 * 404); a value that cannot be an article is {@link StoredContentError} (a 500
 * naming the key).
 */

/** KV or D1 itself failed (threw or timed out). */
export class StorageUnavailableError extends Error {
  override name = 'StorageUnavailableError';
}

/** The stored value cannot be an article (for example it is not UTF-8): a 500 naming the key. */
export class StoredContentError extends Error {
  override name = 'StoredContentError';
  readonly key: string;
  constructor(key: string, message: string) {
    super(`${key}: ${message}`);
    this.key = key;
  }
}

/**
 * The one log line for serving a last good copy because storage failed:
 * `cache` names what kept the copy (a memo or the list bodies), `key` which one.
 */
export function logStale(cache: string, key: string, error: Error): void {
  console.warn(JSON.stringify({ event: 'storage.stale', cache, key, error: error.message }));
}

/** Runs a storage call, turning a throw or a hang past `timeoutMs` into {@link StorageUnavailableError}. */
export async function storageCall<T>(what: string, timeoutMs: number, call: () => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([call(), timeout]);
  } catch (error) {
    throw new StorageUnavailableError(`${what} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
