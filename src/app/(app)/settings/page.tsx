import type { Metadata } from 'next';
import { feedCreatedAt } from '@/server/calendar/feeds';
import { env } from '@/server/env';
import { countTasks } from '@/server/tasks/count';
import { requireUser } from '../require-user';
import { ChangeEmailForm } from './_components/change-email-form';
import { CalendarFeedSection, type CalendarFeedState } from './_components/calendar-feed-section';
import { DataSection } from './_components/data-section';
import { DeleteAccountSection } from './_components/delete-account-section';
import { EmailRemindersSection } from './_components/email-reminders-section';
import { ProfileSection } from './_components/profile-section';
import { SecuritySection } from './_components/security-section';
import { SettingsSection } from './_components/settings-section';

export const metadata: Metadata = { title: 'Settings · Tasklane' };

/** Whether the user's calendar feed is on, and since when (in their zone); unknown when the database is away. */
async function calendarFeedState(userId: string, timeZone: string): Promise<CalendarFeedState> {
  try {
    const since = await feedCreatedAt(userId);
    if (since === null) return { kind: 'off' };
    return { kind: 'on', since: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone }).format(since) };
  } catch {
    return { kind: 'unknown' };
  }
}

/** What "delete account" will take: this app's own task count; unknown for a BACKEND_URL service or a database away. */
async function taskCountOf(userId: string): Promise<number | null> {
  if (env.backend) return null;
  return countTasks(userId).catch(() => null);
}

/**
 * What the page says when a change-email link brought the person here (`?email=changed`, and
 * Better Auth's `error` code when the link did not work).
 */
function emailNotice(query: Record<string, string | string[] | undefined>, email: string): string | undefined {
  if (query.email !== 'changed') return undefined;
  switch (query.error) {
    case undefined:
      return `Your email is now ${email}.`;
    case 'TOKEN_EXPIRED':
      return `That link has expired, so your email is still ${email}. Ask for a new link below.`;
    case 'INVALID_USER':
      return 'That link is for another account than the one signed in here: sign out, then follow it again.';
    default:
      return `That link did not work (it may have been used already), so your email is still ${email}.`;
  }
}

/**
 * The signed-in person's settings, one section each. Email reminders are offered when this app
 * fires the reminders and mails them (not with MAIL_REMINDERS=off, nor for a BACKEND_URL service).
 * The calendar feed is offered when the task API serves one (a BACKEND_URL service may not), and
 * not in mock mode, whose mock has none. Only this app's own feed can be looked up here; a
 * BACKEND_URL service's is that service's to know. Profile, Security and Danger zone are the
 * Better Auth account (not in mock mode, which has none).
 */
export default async function SettingsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const calendar = env.taskFeatures.calendar && !env.mock;
  // Export and import: this app's own task API has them, and so does the mock; a BACKEND_URL service only if it says so.
  const data = env.taskFeatures.data;
  const reminders = env.mail.reminders && !env.mock;
  const account = !env.mock;
  return (
    <div className="mx-auto flex w-full max-w-2xl flex-col gap-6">
      <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
      {account ? (
        <>
          <SettingsSection id="profile" title="Profile">
            <ProfileSection initial={{ name: user.name, timezone: user.timezone }} />
            {/* A new address is confirmed by a mailed link: without account mail, none could arrive. */}
            {env.mail.accounts ? (
              <ChangeEmailForm key={user.email} email={user.email} notice={emailNotice(await searchParams, user.email)} />
            ) : (
              <p className="text-sm">
                Email: <span className="font-medium break-all">{user.email}</span>
              </p>
            )}
          </SettingsSection>
          <SettingsSection id="security" title="Security">
            <SecuritySection twoFactorEnabled={user.twoFactorEnabled} />
          </SettingsSection>
        </>
      ) : null}
      {reminders ? (
        <SettingsSection id="reminders" title="Reminders">
          <EmailRemindersSection initial={user.emailReminders} email={user.email} />
        </SettingsSection>
      ) : null}
      {calendar ? (
        <SettingsSection id="calendar" title="Calendar">
          <CalendarFeedSection initial={env.backend ? { kind: 'unknown' } : await calendarFeedState(user.id, user.timezone)} />
        </SettingsSection>
      ) : null}
      {data ? (
        <SettingsSection id="data" title="Your data">
          <DataSection />
        </SettingsSection>
      ) : null}
      {account ? (
        <SettingsSection id="danger" title="Danger zone">
          <DeleteAccountSection taskCount={await taskCountOf(user.id)} />
        </SettingsSection>
      ) : null}
      {!account && !reminders && !calendar && !data ? <p>There is nothing to set here yet.</p> : null}
    </div>
  );
}
