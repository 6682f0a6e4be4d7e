import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearCaches, expiringCache } from './cache';

afterEach(() => {
  vi.useRealTimers();
  clearCaches();
});

describe('expiringCache', () => {
  it('serves an entry until the instant it was given, and not from that instant on', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000);
    const cache = expiringCache<{ n: number }>('test-expiry', 10);
    cache.set('a', { n: 1 }, 1_000_500);
    vi.setSystemTime(1_000_499);
    expect(cache.get('a')).toEqual({ n: 1 });
    vi.setSystemTime(1_000_500);
    expect(cache.get('a')).toBeUndefined();
  });

  it('keeps nothing whose instant has passed', () => {
    const cache = expiringCache<{ n: number }>('test-past', 10);
    cache.set('a', { n: 1 }, Date.now());
    cache.set('b', { n: 2 }, Date.now() - 1_000);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBeUndefined();
  });

  it('is bounded: the least recently used entry goes first', () => {
    const cache = expiringCache<{ n: number }>('test-bound', 2);
    const later = Date.now() + 60_000;
    cache.set('a', { n: 1 }, later);
    cache.set('b', { n: 2 }, later);
    expect(cache.get('a')).toEqual({ n: 1 });
    cache.set('c', { n: 3 }, later);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toEqual({ n: 1 });
    expect(cache.get('c')).toEqual({ n: 3 });
  });

  it('is one cache per name in a process, and clearCaches empties every one', () => {
    const later = Date.now() + 60_000;
    expiringCache<{ n: number }>('test-shared', 10).set('a', { n: 1 }, later);
    expect(expiringCache<{ n: number }>('test-shared', 10).get('a')).toEqual({ n: 1 });
    clearCaches();
    expect(expiringCache<{ n: number }>('test-shared', 10).get('a')).toBeUndefined();
  });
});
