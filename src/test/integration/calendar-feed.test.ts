import ICAL from 'ical.js';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TaskDto } from '@/lib/api/task-schemas';
import * as feedRoute from '@/app/api/calendar/[file]/route';
import * as feedApi from '@/app/api/[userId]/calendar-feed/route';
import * as feeds from '@/server/calendar/feeds';
import * as dbClient from '@/server/db/client';
import { env } from '@/server/env';
import { callApi, callAuth, callProxy, ORIGIN, signUp, tokenFor, type TestUser } from '@/test/app';

// The calendar feed: POST/DELETE /api/{user_id}/calendar-feed make and revoke a secret URL, and
// GET of that URL (no session, no token) is the user's pending dated tasks as iCalendar, read here
// with ical.js, a parser independent of the generator.

const FEED_URL = /^http:\/\/localhost:3000\/api\/calendar\/([A-Za-z0-9_-]{43})\.ics$/;

/** The task API's feed route, called as Next calls it (Bearer token, `me`). */
function feedApiCall(method: 'POST' | 'DELETE' | 'GET', token?: string) {
  const request = new Request(`${ORIGIN}/api/me/calendar-feed`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
  return feedApi[method](request, { params: Promise.resolve({ userId: 'me' }) });
}

/** A calendar app fetching the feed: the file name as Next hands it to the route (decoded). */
function fetchFeed(url: string, init: { method?: string; headers?: Record<string, string> } = {}) {
  const file = decodeURIComponent(new URL(url).pathname.split('/').pop()!);
  const request = new Request(url, { method: init.method ?? 'GET', headers: init.headers });
  const handler = init.method && init.method !== 'GET' ? feedRoute[init.method as 'POST'] : feedRoute.GET;
  return handler(request, { params: Promise.resolve({ file }) });
}

async function createFeed(user: TestUser): Promise<string> {
  const response = await feedApiCall('POST', await tokenFor(user));
  expect(response.status).toBe(201);
  const { url } = (await response.json()) as { url: string };
  return url;
}

async function createTask(token: string, body: Record<string, unknown>): Promise<TaskDto> {
  const response = await callApi('POST', 'me/tasks', { token, body });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as TaskDto;
}

async function readCalendar(url: string) {
  const response = await fetchFeed(url);
  expect(response.status).toBe(200);
  const text = await response.text();
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents('vevent');
  const bySummary = (summary: string) => {
    const found = events.filter((event) => event.getFirstPropertyValue('summary') === summary);
    expect(found, summary).toHaveLength(1);
    return found[0]!;
  };
  return { response, text, calendar, events, summaries: events.map((event) => event.getFirstPropertyValue('summary')).sort(), bySummary };
}

/** Every line the app wrote to the console while `run` ran. */
async function consoleDuring(run: () => Promise<void>): Promise<string> {
  const lines: string[] = [];
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      lines.push(args.map((arg) => (arg instanceof Error ? `${arg.stack}` : typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
    }),
  );
  try {
    await run();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines.join('\n');
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the calendar feed', () => {
  let alice: TestUser;
  let bob: TestUser;
  let aliceToken: string;
  let bobToken: string;
  let recurring: TaskDto;
  let timed: TaskDto;

  beforeAll(async () => {
    alice = await signUp('Alice');
    bob = await signUp('Bob');
    aliceToken = await tokenFor(alice);
    bobToken = await tokenFor(bob);
    expect((await callAuth('POST', 'update-user', { cookie: alice.cookie, body: { timezone: 'Europe/Paris' } })).status).toBe(200);

    await createTask(aliceToken, { title: 'All-day errand', description: 'Milk; eggs, bread\nand jam', due_date: '2030-01-08' });
    timed = await createTask(aliceToken, { title: 'Dentist', due_date: '2030-01-08', due_time: '09:00' });
    // 2030-01-07 is a Monday.
    recurring = await createTask(aliceToken, { title: 'Gym', due_date: '2030-01-07', due_time: '18:30', recurrence: 'FREQ=WEEKLY;BYDAY=MO,TH' });
    await createTask(aliceToken, { title: 'Water plants', due_date: '2030-01-09', recurrence: 'FREQ=DAILY;INTERVAL=3' });
    await createTask(aliceToken, { title: 'Done already', due_date: '2030-01-08', completed: true });
    await createTask(aliceToken, { title: 'Someday', description: 'no date' });
    await createTask(bobToken, { title: 'Bob’s secret plan', due_date: '2030-01-08', due_time: '10:00' });
  });

  it('POST answers 201 with a URL on the app’s public origin, not cacheable', async () => {
    const response = await feedApiCall('POST', aliceToken);
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const { url } = (await response.json()) as { url: string };
    expect(url.startsWith(`${env.baseUrl}/api/calendar/`)).toBe(true);
    expect(url).toMatch(FEED_URL);
  });

  it('refuses without a token, and answers 405 with Allow to the other methods', async () => {
    expect((await feedApiCall('POST')).status).toBe(401);
    const response = await feedApiCall('GET', aliceToken);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST, DELETE');
  });

  it('serves one VEVENT per pending dated task of the user: all-day, or timed in the user’s zone, with its RRULE', async () => {
    const url = await createFeed(alice);
    const { response, calendar, events, summaries, bySummary } = await readCalendar(url);
    expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('private, max-age=300');
    expect(response.headers.get('content-disposition')).toBe('inline; filename="tasklane.ics"');

    // Not the completed task, not the undated one, nothing of Bob's.
    expect(summaries).toEqual(['All-day errand', 'Dentist', 'Gym', 'Water plants']);
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('Tasklane');
    expect(String(calendar.getFirstPropertyValue('refresh-interval'))).toBe('PT15M');

    const allDay = bySummary('All-day errand');
    const allDayStart = allDay.getFirstPropertyValue('dtstart') as ICAL.Time;
    expect(allDayStart.isDate).toBe(true);
    expect(allDayStart.toString()).toBe('2030-01-08');
    expect((allDay.getFirstPropertyValue('dtend') as ICAL.Time).toString()).toBe('2030-01-09');
    expect(allDay.getFirstPropertyValue('description')).toBe('Milk; eggs, bread\nand jam');

    const dentist = bySummary('Dentist');
    expect(dentist.getFirstPropertyValue('uid')).toBe(`task-${timed.id}@localhost`);
    const start = dentist.getFirstProperty('dtstart')!;
    expect(start.getParameter('tzid')).toBe('Europe/Paris');
    const wallClock = start.getFirstValue() as ICAL.Time;
    expect([wallClock.isDate, wallClock.year, wallClock.month, wallClock.day, wallClock.hour, wallClock.minute]).toEqual([false, 2030, 1, 8, 9, 0]);
    // The zone is defined in the file, so the instant is known: 09:00 in Paris in January is 08:00 UTC.
    const zones = calendar.getAllSubcomponents('vtimezone');
    expect(zones.map((zone) => zone.getFirstPropertyValue('tzid'))).toEqual(['Europe/Paris']);
    ICAL.TimezoneService.register(zones[0]!);
    expect(new ICAL.Event(dentist).startDate.toJSDate().toISOString()).toBe('2030-01-08T08:00:00.000Z');
    expect(new ICAL.Event(dentist).endDate.toJSDate().toISOString()).toBe('2030-01-08T08:30:00.000Z');
    expect(dentist.getFirstPropertyValue('rrule')).toBeNull();

    const gym = bySummary('Gym');
    expect(gym.getFirstPropertyValue('uid')).toBe(`task-${recurring.id}@localhost`);
    const rule = gym.getFirstPropertyValue('rrule') as ICAL.Recur;
    expect(rule.toString()).toBe(recurring.recurrence);
    const dates = new ICAL.Event(gym).iterator();
    const firstThree = [dates.next()!, dates.next()!, dates.next()!].map((date) => date.toString());
    expect(firstThree).toEqual(['2030-01-07T18:30:00', '2030-01-10T18:30:00', '2030-01-14T18:30:00']);

    const plants = bySummary('Water plants');
    expect((plants.getFirstPropertyValue('rrule') as ICAL.Recur).toString()).toBe('FREQ=DAILY;INTERVAL=3');
    expect((plants.getFirstPropertyValue('dtstart') as ICAL.Time).isDate).toBe(true);
    expect(events.every((event) => event.getFirstPropertyValue('dtstamp') !== null)).toBe(true);
  });

  it('keeps a COUNT to what is left once occurrences are completed, from the occurrence in hand', async () => {
    const task = await createTask(aliceToken, { title: 'Three lessons', due_date: '2030-02-04', recurrence: 'FREQ=WEEKLY;COUNT=3' });
    expect((await callApi('PATCH', `me/tasks/${task.id}/complete`, { token: aliceToken })).status).toBe(200);
    const { bySummary } = await readCalendar(await createFeed(alice));
    const lessons = bySummary('Three lessons');
    expect((lessons.getFirstPropertyValue('dtstart') as ICAL.Time).toString()).toBe('2030-02-11');
    expect((lessons.getFirstPropertyValue('rrule') as ICAL.Recur).toString()).toBe('FREQ=WEEKLY;COUNT=2');
  });

  it('another user’s feed holds only their own tasks', async () => {
    const { summaries } = await readCalendar(await createFeed(bob));
    expect(summaries).toEqual(['Bob’s secret plan']);
    const zoneless = (await readCalendar(await createFeed(bob))).bySummary('Bob’s secret plan');
    // Bob's zone is UTC: his times are UTC instants, no TZID needed.
    expect(zoneless.getFirstProperty('dtstart')!.getParameter('tzid')).toBeUndefined();
    expect((zoneless.getFirstPropertyValue('dtstart') as ICAL.Time).toString()).toBe('2030-01-08T10:00:00Z');
  });

  it('a new address replaces the old one, which stops working at once', async () => {
    const first = await createFeed(alice);
    const second = await createFeed(alice);
    expect(second).not.toBe(first);
    const old = await fetchFeed(first);
    expect(old.status).toBe(404);
    expect(old.headers.get('content-type')).toBe('application/problem+json');
    expect(old.headers.get('cache-control')).toBe('no-store');
    expect((await fetchFeed(second)).status).toBe(200);
  });

  it('DELETE turns the feed off (204, and 204 again when there is none)', async () => {
    const url = await createFeed(alice);
    const deleted = await feedApiCall('DELETE', aliceToken);
    expect(deleted.status).toBe(204);
    expect(deleted.headers.get('cache-control')).toBe('no-store');
    expect((await fetchFeed(url)).status).toBe(404);
    expect((await feedApiCall('DELETE', aliceToken)).status).toBe(204);
  });

  it('answers 304 to an unchanged feed’s ETag, and 200 again once a task changes', async () => {
    const url = await createFeed(bob);
    const first = await fetchFeed(url);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/".+"$/);
    const again = await fetchFeed(url, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('cache-control')).toBe('private, max-age=300');
    await createTask(bobToken, { title: 'Another plan', due_date: '2030-03-01' });
    const changed = await fetchFeed(url, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('a file name that cannot be a feed’s is 404 without reading the database', async () => {
    const url = await createFeed(alice);
    const secret = FEED_URL.exec(url)![1]!;
    const getDb = vi.spyOn(dbClient, 'getDb');
    for (const file of [
      'x.ics',
      secret,
      `${secret}.ICS`,
      `${secret}.ics.ics`,
      `${secret.slice(1)}.ics`,
      `${secret}A.ics`,
      `${secret.slice(0, -2)}+/.ics`,
      `${secret.slice(0, -1)}=.ics`,
      `../${secret}.ics`,
      `${secret}.ics\n`,
      '',
    ]) {
      const request = new Request(`${ORIGIN}/api/calendar/anything.ics`);
      const response = await feedRoute.GET(request, { params: Promise.resolve({ file }) });
      expect(response.status, JSON.stringify(file)).toBe(404);
    }
    expect(getDb).not.toHaveBeenCalled();
    // The spy does see the reads of a well-formed name.
    expect((await fetchFeed(url)).status).toBe(200);
    expect(getDb).toHaveBeenCalled();
  });

  it('answers other methods on a feed URL with 405 and Allow', async () => {
    const url = await createFeed(alice);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const response = await fetchFeed(url, { method });
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    }
    expect((await fetchFeed(url)).status).toBe(200);
  });

  it('works through the proxy with the session cookie', async () => {
    const created = await callProxy('POST', 'me/calendar-feed', { cookie: alice.cookie });
    expect(created.status).toBe(201);
    const { url } = (await created.json()) as { url: string };
    expect(url).toMatch(FEED_URL);
    expect((await readCalendar(url)).summaries).toContain('Dentist');
    expect((await callProxy('POST', 'me/calendar-feed', { cookie: alice.cookie, headers: { origin: 'https://evil.example' } })).status).toBe(403);
    expect((await callProxy('DELETE', 'me/calendar-feed', { cookie: alice.cookie })).status).toBe(204);
    expect((await fetchFeed(url)).status).toBe(404);
  });

  it('never writes the secret to a log, even when serving it fails', async () => {
    let secret = '';
    const output = await consoleDuring(async () => {
      const url = await createFeed(alice);
      secret = FEED_URL.exec(url)![1]!;
      expect((await fetchFeed(url)).status).toBe(200);
      expect((await fetchFeed(url, { method: 'POST' })).status).toBe(405);
      // A failure the error mapper logs, with the request's path.
      vi.spyOn(feeds, 'feedFor').mockRejectedValueOnce(new Error('the database fell over'));
      expect((await fetchFeed(url)).status).toBe(500);
      await feedApiCall('DELETE', aliceToken);
      expect((await fetchFeed(url)).status).toBe(404);
    });
    expect(secret).toHaveLength(43);
    expect(output).toContain('unhandled_error');
    expect(output).toContain('/api/calendar/redacted.ics');
    expect(output).not.toContain(secret);
  });
});
