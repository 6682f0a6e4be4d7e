// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AUTH_EVENT_KEY, createAuthBroadcast, type AuthEvent } from './auth-broadcast';

/** Two tabs' ends of the broadcast: what one announces, the other hears (and the sender does not). */

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

afterEach(() => vi.restoreAllMocks());

describe('auth broadcast over BroadcastChannel', () => {
  it('delivers each tab’s events to the other tabs, never back to the sender', async () => {
    const [first, second, third] = [createAuthBroadcast(), createAuthBroadcast(), createAuthBroadcast()];
    const heard: Record<string, AuthEvent[]> = { first: [], second: [], third: [] };
    const stops = [first.subscribe((event) => heard.first!.push(event)), second.subscribe((event) => heard.second!.push(event)), third.subscribe((event) => heard.third!.push(event))];
    first.announce({ type: 'signed-out' });
    second.announce({ type: 'signed-in', userId: 'u2' });
    await vi.waitFor(() => expect(heard.third).toHaveLength(2));
    await settle();
    expect(heard.first).toEqual([{ type: 'signed-in', userId: 'u2' }]);
    expect(heard.second).toEqual([{ type: 'signed-out' }]);
    expect(heard.third).toEqual([{ type: 'signed-out' }, { type: 'signed-in', userId: 'u2' }]);

    // A stopped listener hears nothing more.
    stops[2]!();
    first.announce({ type: 'signed-out' });
    await vi.waitFor(() => expect(heard.second).toHaveLength(2));
    await settle();
    expect(heard.third).toHaveLength(2);
    for (const stop of stops) stop();
  });

  it('ignores messages on the channel that are not its events', async () => {
    const tab = createAuthBroadcast();
    const heard: AuthEvent[] = [];
    const stop = tab.subscribe((event) => heard.push(event));
    const stranger = new BroadcastChannel('tasklane:auth');
    for (const data of ['signed-out', { type: 'signed-out' }, { event: { type: 'deleted' }, from: 'x' }, { event: { type: 'signed-in' }, from: 'x' }]) stranger.postMessage(data);
    stranger.postMessage({ event: { type: 'signed-out' }, from: 'other-tab', at: 1 });
    await vi.waitFor(() => expect(heard).toEqual([{ type: 'signed-out' }]));
    stranger.close();
    stop();
  });
});

describe('auth broadcast over the storage event (no BroadcastChannel)', () => {
  it('writes the event for the other tabs and removes it at once; a tab hears another’s event, not its own', () => {
    const written: string[] = [];
    const setItem = vi.spyOn(Storage.prototype, 'setItem').mockImplementation((key, value) => void (key === AUTH_EVENT_KEY && written.push(value)));
    const first = createAuthBroadcast({ useChannel: false });
    const second = createAuthBroadcast({ useChannel: false });
    const heard = { first: [] as AuthEvent[], second: [] as AuthEvent[] };
    const stops = [first.subscribe((event) => heard.first.push(event)), second.subscribe((event) => heard.second.push(event))];

    first.announce({ type: 'signed-out' });
    expect(setItem).toHaveBeenCalledTimes(1);
    expect(localStorage.getItem(AUTH_EVENT_KEY)).toBeNull();
    // What the browser does in every other tab of the origin when the key is written.
    window.dispatchEvent(new StorageEvent('storage', { key: AUTH_EVENT_KEY, newValue: written[0]! }));
    expect(heard.second).toEqual([{ type: 'signed-out' }]);
    expect(heard.first).toEqual([]);

    // The removal, another key, and a value that is not JSON are nothing.
    window.dispatchEvent(new StorageEvent('storage', { key: AUTH_EVENT_KEY, newValue: null }));
    window.dispatchEvent(new StorageEvent('storage', { key: 'other', newValue: written[0]! }));
    window.dispatchEvent(new StorageEvent('storage', { key: AUTH_EVENT_KEY, newValue: '{not json' }));
    expect(heard.second).toHaveLength(1);

    for (const stop of stops) stop();
    window.dispatchEvent(new StorageEvent('storage', { key: AUTH_EVENT_KEY, newValue: written[0]! }));
    expect(heard.second).toHaveLength(1);
  });
});
