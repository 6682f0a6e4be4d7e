import { appLink, composeMail, type MailContent } from './compose';

/** What the reminder mail says: the task's title, and its due date and time when it has them. */
export interface ReminderMailInput {
  title: string;
  /** `YYYY-MM-DD`, a calendar date. */
  dueDate: string | null;
  /** `HH:MM`, wall-clock time in `timeZone`. */
  dueTime: string | null;
  timeZone: string;
}

/** "Thursday, 3 December 2026": a calendar date, shown as written (no zone moves it). */
function formatDate(date: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(year, month - 1, day));
}

export function reminderMail(input: ReminderMailInput): MailContent {
  const due = input.dueDate ? `Due ${formatDate(input.dueDate)}${input.dueTime ? ` at ${input.dueTime} (${input.timeZone})` : ''}.` : null;
  return composeMail({
    subject: `Reminder: ${input.title}`,
    heading: `Reminder: ${input.title}`,
    paragraphs: due ? [due] : [],
    action: { label: 'Open your tasks', href: appLink('/tasks') },
    footer: { text: 'You get this email because email reminders are on.', link: { label: 'Turn them off in Settings', href: appLink('/settings#reminders') } },
  });
}
