import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { env } from '@/server/env';

/**
 * Where mail goes without SMTP_URL outside production (development and tests): kept in memory for
 * the tests, and as one JSON file per mail under `<TASKLANE_DATA_DIR>/outbox` for /dev/outbox,
 * which may render in another module instance than the one that sent (next dev's bundles), and
 * after a restart. Under vitest there is no folder: the outbox is memory only.
 */

export interface OutboxMail {
  id: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** ISO 8601. */
  sentAt: string;
}

/** The newest this many files are kept; older ones go as new mail arrives. */
export const OUTBOX_KEEP = 200;

export interface Outbox {
  add(mail: Omit<OutboxMail, 'id' | 'sentAt'>): Promise<OutboxMail>;
  /** Newest first. */
  read(): Promise<OutboxMail[]>;
  clear(): Promise<void>;
}

/** Names sort in sending order: a fixed-width time, this process's count (mails of one millisecond), the id. */
let sequence = 0;
const fileName = (mail: OutboxMail) => `${String(Date.parse(mail.sentAt)).padStart(15, '0')}-${String(sequence++ % 1e6).padStart(6, '0')}-${mail.id}.json`;

/** An outbox in `directory` (and memory), or in memory only. */
export function createOutbox(directory: string | undefined): Outbox {
  let memory: OutboxMail[] = [];
  // Writes one after another, so pruning never races a write.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(run: () => Promise<T>): Promise<T> => {
    const next = queue.then(run, run);
    queue = next.catch(() => undefined);
    return next;
  };

  async function files(): Promise<string[]> {
    try {
      return (await readdir(directory!)).filter((name) => name.endsWith('.json')).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  return {
    async add(fields) {
      const mail: OutboxMail = { id: randomBytes(8).toString('hex'), sentAt: new Date().toISOString(), ...fields };
      memory = [mail, ...memory].slice(0, OUTBOX_KEEP);
      if (directory) {
        await serially(async () => {
          await mkdir(directory, { recursive: true, mode: 0o700 });
          const target = path.join(directory, fileName(mail));
          // Links in mail are credentials (a reset link, later): readable by this user only.
          await writeFile(`${target}.tmp`, JSON.stringify(mail, null, 2), { mode: 0o600 });
          await rename(`${target}.tmp`, target);
          const all = await files();
          await Promise.all(all.slice(0, Math.max(0, all.length - OUTBOX_KEEP)).map((name) => rm(path.join(directory, name), { force: true })));
        });
      }
      return mail;
    },
    async read() {
      if (!directory) return [...memory];
      const names = (await files()).reverse();
      const mails = await Promise.all(
        names.map(async (name) => {
          try {
            return JSON.parse(await readFile(path.join(directory, name), 'utf8')) as OutboxMail;
          } catch {
            return null; // removed meanwhile, or not one of ours
          }
        }),
      );
      return mails.filter((mail): mail is OutboxMail => mail !== null && typeof mail.subject === 'string');
    },
    async clear() {
      memory = [];
      if (directory) await serially(async () => Promise.all((await files()).map((name) => rm(path.join(directory, name), { force: true }))));
    },
  };
}

const holder = globalThis as typeof globalThis & { __tasklaneOutbox?: Outbox };

/** This process's outbox (one across module instances). */
export function outbox(): Outbox {
  holder.__tasklaneOutbox ??= createOutbox(env.nodeEnv === 'test' ? undefined : path.join(env.dataDir, 'outbox'));
  return holder.__tasklaneOutbox;
}

/** The mails sent to the outbox, newest first (tests, /dev/outbox). */
export const readOutbox = (): Promise<OutboxMail[]> => outbox().read();

/** Empties the outbox (tests). */
export const clearOutbox = (): Promise<void> => outbox().clear();
