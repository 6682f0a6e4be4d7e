import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOutbox, OUTBOX_KEEP } from './outbox';

const mail = (subject: string) => ({ from: 'Tasklane <tasklane@localhost>', to: 'ada@example.com', subject, text: 'text', html: '<p>html</p>' });

describe('the development outbox', () => {
  it('writes one JSON file per mail, readable by its owner only, and reads them back newest first', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'tasklane-outbox-')), 'outbox');
    const outbox = createOutbox(dir);
    await outbox.add(mail('first'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await outbox.add(mail('second'));
    const files = readdirSync(dir);
    expect(files).toHaveLength(2);
    expect(files.every((name) => name.endsWith('.json'))).toBe(true);
    expect(statSync(path.join(dir, files[0]!)).mode & 0o777).toBe(0o600);
    // Another process (or module instance) reading the same folder sees them too.
    const reader = createOutbox(dir);
    expect((await reader.read()).map((each) => each.subject)).toEqual(['second', 'first']);
    expect((await reader.read())[0]).toMatchObject({ ...mail('second'), id: expect.stringMatching(/^[0-9a-f]{16}$/) });
    await reader.clear();
    expect(await outbox.read()).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it(`keeps the newest ${OUTBOX_KEEP} files`, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tasklane-outbox-'));
    const outbox = createOutbox(dir);
    for (let i = 0; i < OUTBOX_KEEP + 3; i++) await outbox.add(mail(`mail ${i}`));
    expect(readdirSync(dir)).toHaveLength(OUTBOX_KEEP);
    const subjects = (await outbox.read()).map((each) => each.subject);
    expect(subjects).toHaveLength(OUTBOX_KEEP);
    expect(subjects).not.toContain('mail 0');
  });

  it('without a folder keeps mail in memory only', async () => {
    const outbox = createOutbox(undefined);
    await outbox.add(mail('a'));
    await outbox.add(mail('b'));
    expect((await outbox.read()).map((each) => each.subject)).toEqual(['b', 'a']);
    await outbox.clear();
    expect(await outbox.read()).toEqual([]);
  });
});
