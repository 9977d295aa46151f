import { describe, expect, it } from 'vitest';
import { LruCache } from '../../../src/storage/lru.ts';

describe('LruCache', () => {
  it('never holds more than its budget, evicting the least recently used', () => {
    const cache = new LruCache<string>(100);
    cache.set('a', 'A', 40);
    cache.set('b', 'B', 40);
    cache.get('a'); // a is now more recent than b
    cache.set('c', 'C', 40);
    expect(cache.used).toBeLessThanOrEqual(100);
    expect(cache.has('a')).toBe(true);
    expect(cache.has('b')).toBe(false);
    expect(cache.has('c')).toBe(true);
    cache.set('huge', 'H', 101);
    expect(cache.has('huge')).toBe(false);
    expect(cache.used).toBe(80);
  });

  it('stays within budget under many writes', () => {
    const cache = new LruCache<number>(10_000);
    for (let i = 0; i < 5000; i++) cache.set(`k${i}`, i, 1 + (i % 97));
    expect(cache.used).toBeLessThanOrEqual(10_000);
    expect(cache.has('k4999')).toBe(true);
    expect(cache.has('k0')).toBe(false);
  });

  it('forgets everything on clear, and counts from zero again', () => {
    const cache = new LruCache<string>(100);
    cache.set('a', 'A', 60);
    cache.set('b', 'B', 30);
    cache.clear();
    expect([cache.size, cache.used, cache.has('a')]).toEqual([0, 0, false]);
    cache.set('c', 'C', 100);
    expect(cache.get('c')).toBe('C');
  });
});
