/**
 * Tells the other tabs of this browser that the session changed: signed out (or the account
 * deleted), or signed in as someone. The session cookie is shared by every tab, but a tab only
 * finds out on its next request; with this it leaves at once.
 *
 * BroadcastChannel where the browser has it; otherwise the `storage` event, which every other tab
 * of the origin receives when localStorage changes (the key is written and removed at once).
 * Hand-written: the whole job is these two browser APIs, and it sits in the /tasks bundle.
 */

export type AuthEvent = { type: 'signed-out' } | { type: 'signed-in'; userId: string };

const CHANNEL = 'tasklane:auth';
export const AUTH_EVENT_KEY = 'tasklane:auth-event';

interface Envelope {
  event: AuthEvent;
  /** The sending tab's, so a tab ignores its own messages (same-tab channels receive them). */
  from: string;
  /** Makes every write a change, so the storage event fires for a repeat of the same event. */
  at: number;
}

function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== 'object' || value === null) return false;
  const { event, from } = value as Partial<Envelope>;
  if (typeof from !== 'string' || typeof event !== 'object' || event === null) return false;
  return event.type === 'signed-out' || (event.type === 'signed-in' && typeof event.userId === 'string');
}

export interface AuthBroadcast {
  announce: (event: AuthEvent) => void;
  /** `listener` hears the other tabs' events; the returned function stops it. */
  subscribe: (listener: (event: AuthEvent) => void) => () => void;
}

/** One tab's end of the broadcast. `useChannel: false` forces the storage fallback (tests). */
export function createAuthBroadcast(options: { useChannel?: boolean } = {}): AuthBroadcast {
  const from = Array.from(crypto.getRandomValues(new Uint8Array(8)), (byte) => byte.toString(16).padStart(2, '0')).join('');
  const channelWorks = (options.useChannel ?? true) && typeof BroadcastChannel === 'function';
  const deliver = (listener: (event: AuthEvent) => void, data: unknown) => {
    if (isEnvelope(data) && data.from !== from) listener(data.event);
  };
  return {
    announce(event) {
      const envelope: Envelope = { event, from, at: Date.now() };
      if (channelWorks) {
        const channel = new BroadcastChannel(CHANNEL);
        channel.postMessage(envelope);
        channel.close();
        return;
      }
      try {
        localStorage.setItem(AUTH_EVENT_KEY, JSON.stringify(envelope));
        localStorage.removeItem(AUTH_EVENT_KEY);
      } catch {
        // Storage refused (private mode, quota): the other tabs learn on their next request.
      }
    },
    subscribe(listener) {
      if (channelWorks) {
        const channel = new BroadcastChannel(CHANNEL);
        channel.onmessage = (message: MessageEvent) => deliver(listener, message.data);
        return () => channel.close();
      }
      const onStorage = (event: StorageEvent) => {
        if (event.key !== AUTH_EVENT_KEY || !event.newValue) return;
        try {
          deliver(listener, JSON.parse(event.newValue));
        } catch {
          // Not ours to read.
        }
      };
      window.addEventListener('storage', onStorage);
      return () => window.removeEventListener('storage', onStorage);
    },
  };
}

let tab: AuthBroadcast | undefined;

/** This tab's broadcast, made on first use. */
export function authBroadcast(): AuthBroadcast {
  tab ??= createAuthBroadcast();
  return tab;
}
