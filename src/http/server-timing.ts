/**
 * `Server-Timing` for operators and the benchmark: per request, how many KV
 * and D1 calls were made and how long they took, how long rendering took, and
 * the total. On Cloudflare, timers advance only across I/O, so CPU-only spans
 * read as 0 there; locally they are real.
 */

type Storage = 'kv' | 'd1' | 'r2';

export class Meter {
  readonly #start = performance.now();
  readonly #calls: Record<Storage, { count: number; ms: number }> = { kv: { count: 0, ms: 0 }, d1: { count: 0, ms: 0 }, r2: { count: 0, ms: 0 } };
  #render: number | undefined;

  /** Times one storage call and counts it, whether it succeeds or not. */
  async call<T>(storage: Storage, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await run();
    } finally {
      this.#calls[storage].count++;
      this.#calls[storage].ms += performance.now() - started;
    }
  }

  /** Calls made so far to one storage. */
  count(storage: Storage): number {
    return this.#calls[storage].count;
  }

  /** Times a render (synchronous or not); renders served from a cache are not timed and show as 0. */
  async render<T>(run: () => T | Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await run();
    } finally {
      this.#render = (this.#render ?? 0) + performance.now() - started;
    }
  }

  /** The header value: `kv;dur=…;desc="N calls", d1;…, [r2;…,] render;dur=…, total;dur=…` (r2 only when media were read). */
  header(): string {
    const storage = (name: Storage) => {
      const { count, ms } = this.#calls[name];
      return `${name};dur=${ms.toFixed(2)};desc="${count} call${count === 1 ? '' : 's'}"`;
    };
    const total = performance.now() - this.#start;
    const r2 = this.#calls.r2.count ? `${storage('r2')}, ` : '';
    return `${storage('kv')}, ${storage('d1')}, ${r2}render;dur=${(this.#render ?? 0).toFixed(2)}, total;dur=${total.toFixed(2)}`;
  }

  /** Sets the header on a response and returns it. */
  apply(res: Response): Response {
    res.headers.set('Server-Timing', this.header());
    return res;
  }
}
