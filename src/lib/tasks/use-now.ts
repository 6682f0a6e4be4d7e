'use client';

import { useSyncExternalStore } from 'react';

/**
 * The time, to the half minute, for telling a reminder to come from one that has passed: one
 * timer for every component that asks, so a list of rows does not run one each.
 */
const TICK_MS = 30_000;
const clockListeners = new Set<() => void>();
let clockTimer: ReturnType<typeof setInterval> | undefined;

function subscribeToClock(listener: () => void): () => void {
  clockListeners.add(listener);
  clockTimer ??= setInterval(() => clockListeners.forEach((each) => each()), TICK_MS);
  return () => {
    clockListeners.delete(listener);
    if (clockListeners.size > 0) return;
    clearInterval(clockTimer);
    clockTimer = undefined;
  };
}

const clockTick = () => Math.floor(Date.now() / TICK_MS) * TICK_MS;

export function useNow(): number {
  return useSyncExternalStore(subscribeToClock, clockTick, clockTick);
}
