import { Fragment } from 'react';
import { card, link, mutedText } from '@/components/ui/styles';

/** One mail of the development outbox, as /dev/outbox shows it. */
export interface OutboxEntry {
  id: string;
  to: string;
  subject: string;
  text: string;
  /** ISO 8601. */
  sentAt: string;
}

const URL_PATTERN = /(https?:\/\/[^\s<>"]+)/g;

/** The text body with its http(s) links clickable (a reset or verification link is followed from here). */
function TextWithLinks({ text }: { text: string }) {
  return text.split(URL_PATTERN).map((part, index) =>
    index % 2 === 1 ? (
      <a key={index} href={part} className={`${link} break-all`}>
        {part}
      </a>
    ) : (
      <Fragment key={index}>{part}</Fragment>
    ),
  );
}

const formatTime = (iso: string) => `${new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' }).format(new Date(iso))} UTC`;

/** The outbox's mails as given (newest first): to, subject, time and the text body. */
export function OutboxList({ mails }: { mails: OutboxEntry[] }) {
  if (mails.length === 0) return <p className={mutedText}>No mail yet. Mail the app sends in development appears here.</p>;
  return (
    <ol className="flex flex-col gap-4" aria-label="Mails, newest first">
      {mails.map((mail) => (
        <li key={mail.id}>
          <article aria-labelledby={`mail-${mail.id}`} className={`${card} flex flex-col gap-3 p-4 sm:p-6`}>
            <h2 id={`mail-${mail.id}`} className="text-base font-semibold break-words">
              {mail.subject}
            </h2>
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
              <dt className={mutedText}>To</dt>
              <dd className="break-all">{mail.to}</dd>
              <dt className={mutedText}>Sent</dt>
              <dd>
                <time dateTime={mail.sentAt}>{formatTime(mail.sentAt)}</time>
              </dd>
            </dl>
            <pre className="font-sans text-sm break-words whitespace-pre-wrap">
              <TextWithLinks text={mail.text} />
            </pre>
          </article>
        </li>
      ))}
    </ol>
  );
}
