import { afterEach, describe, expect, it, vi } from 'vitest';
import { StorageUnavailableError } from '../../../src/storage/failures.ts';
import { Memo, usable } from '../../../src/storage/memo.ts';

describe('usable', () => {
  it('is true while a read is younger than its lifetime', () => {
    expect(usable({ readAt: 1000 }, 5000, 2000, 5999)).toBe(true);
    expect(usable({ readAt: 1000 }, 5000, 2000, 6000)).toBe(false);
    expect(usable({ readAt: 1000 }, 0, 2000, 1000)).toBe(false);
  });

  it('treats a read stamped after now (the clock stepped back) as old, not as fresh until the clock catches up', () => {
    expect(usable({ readAt: 10_000 }, 5000, 2000, 9000)).toBe(false);
    expect(usable({ readAt: 10_000 }, 0, 2000, 9999)).toBe(false);
  });

  it('keeps an expired read while another request refreshes it, but no longer than a storage call may take', () => {
    expect(usable({ readAt: 0, refreshingSince: 10_000 }, 5000, 2000, 11_999)).toBe(true);
    expect(usable({ readAt: 0, refreshingSince: 10_000 }, 5000, 2000, 12_000)).toBe(false);
  });
});

describe('Memo', () => {
  const options = (now: number) => ({ now, ttlMs: 5000, refreshLimitMs: 2000 });
  const failing = () => Promise.reject(new StorageUnavailableError('KV is down'));

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('reads once per lifetime, and hands the previous value to the next read', async () => {
    const memo = new Memo<number>('test', 10);
    const load = vi.fn(async (previous: number | undefined) => (previous ?? 0) + 1);
    expect(await memo.get('k', options(0), load)).toEqual({ value: 1, stale: false });
    expect(await memo.get('k', options(4999), load)).toEqual({ value: 1, stale: false });
    expect(load).toHaveBeenCalledTimes(1);
    expect(await memo.get('k', options(5000), load)).toEqual({ value: 2, stale: false });
    expect(load).toHaveBeenLastCalledWith(1);
  });

  it('lets other requests use the old value while one refreshes it', async () => {
    const memo = new Memo<string>('test', 10);
    await memo.get('k', options(0), async () => 'old');
    let finish!: (value: string) => void;
    const refreshing = memo.get('k', options(6000), () => new Promise((resolve) => (finish = resolve)));
    expect(await memo.get('k', options(6500), async () => 'another read')).toEqual({ value: 'old', stale: false });
    finish('new');
    expect(await refreshing).toEqual({ value: 'new', stale: false });
    expect(await memo.get('k', options(7000), async () => 'unused')).toEqual({ value: 'new', stale: false });
  });

  it('serves the last value, marked stale and logged once, when storage fails', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const memo = new Memo<string>('banner copy', 10);
    await memo.get('k', options(0), async () => 'good');
    const result = await memo.get('k', options(6000), failing);
    expect(result).toMatchObject({ value: 'good', stale: true });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(warn.mock.calls[0]![0]))).toMatchObject({ event: 'storage.stale', cache: 'banner copy', key: 'k' });
    // The failed refresh does not count as one under way: the next request tries again.
    expect(await memo.get('k', options(6001), async () => 'back')).toEqual({ value: 'back', stale: false });
  });

  it('passes the failure on when it has nothing to fall back to, and never hides other errors', async () => {
    const memo = new Memo<string>('test', 10);
    await expect(memo.get('k', options(0), failing)).rejects.toBeInstanceOf(StorageUnavailableError);
    await memo.get('k', options(0), async () => 'good');
    await expect(memo.get('k', options(6000), () => Promise.reject(new TypeError('a bug')))).rejects.toBeInstanceOf(TypeError);
  });

  it('rereads a value that has reached its expiry time, or that it may no longer keep', async () => {
    const memo = new Memo<{ until?: number; ok: boolean }>('test', 10);
    const expiring = { ...options(0), expiresAt: (v: { until?: number }) => v.until, keep: (v: { ok: boolean }) => v.ok };
    await memo.get('a', expiring, async () => ({ until: 1000, ok: true }));
    expect((await memo.get('a', { ...expiring, now: 1000 }, async () => ({ ok: true }))).value).toEqual({ ok: true });
    await memo.get('b', expiring, async () => ({ ok: false }));
    expect((await memo.get('b', { ...expiring, now: 1 }, async () => ({ ok: true }))).value).toEqual({ ok: true });
  });

  it('remembers no more keys than its capacity, forgetting the least recently used', async () => {
    const memo = new Memo<string>('test', 2);
    const load = vi.fn(async () => 'v');
    for (const key of ['a', 'b', 'c']) await memo.get(key, options(0), load);
    await memo.get('c', options(1), load);
    await memo.get('b', options(1), load);
    expect(load).toHaveBeenCalledTimes(3);
    await memo.get('a', options(1), load);
    expect(load).toHaveBeenCalledTimes(4);
  });
});
