import nodemailer, { type Transporter } from 'nodemailer';
import { env, type MailTransportConfig } from '@/server/env';
import { logEvent } from '@/server/http/log';
import type { MailContent } from './compose';
import { outbox } from './outbox';

/**
 * `sendMail`: the one way the app sends mail. Production: nodemailer over SMTP_URL, from MAIL_FROM.
 * Development and tests (no SMTP_URL): the outbox (./outbox.ts), never in production. Each mail
 * is one log line naming the recipient's domain and the message id: never the address, the body
 * or a link in it (links carry tokens).
 */

export interface Mail extends MailContent {
  to: string;
}

/** Sending failed; already logged. Its message names no secret, no address and nothing of the body. */
export class MailError extends Error {
  override name = 'MailError';
}

type SmtpConfig = Extract<MailTransportConfig, { kind: 'smtp' }>;
const holder = globalThis as typeof globalThis & { __tasklaneSmtp?: { config: SmtpConfig; transporter: Transporter } };

/** One transporter per process (a connection per mail: nothing stays open to hold up a stop). */
function smtpTransporter(config: SmtpConfig): Transporter {
  if (holder.__tasklaneSmtp?.config !== config) {
    holder.__tasklaneSmtp = {
      config,
      transporter: nodemailer.createTransport({
        host: config.host,
        port: config.port,
        secure: config.secure,
        requireTLS: config.requireTls,
        auth: config.auth,
        // A mail server that does not answer must not hold the reminder run for minutes.
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
        // Mail content never names a file or URL for nodemailer to fetch.
        disableFileAccess: true,
        disableUrlAccess: true,
      }),
    };
  }
  return holder.__tasklaneSmtp.transporter;
}

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/** What a failure says in the log: nodemailer's codes only, as its messages may quote the server's answer (and an address). */
function failure(error: unknown): Record<string, unknown> {
  const fields = error as { code?: unknown; responseCode?: unknown; command?: unknown };
  return {
    error: typeof fields.code === 'string' ? fields.code : error instanceof Error ? error.name : 'unknown',
    ...(typeof fields.responseCode === 'number' ? { response_code: fields.responseCode } : {}),
    ...(typeof fields.command === 'string' ? { command: fields.command.split(' ')[0] } : {}),
  };
}

/** Sends one mail; its message id. Throws a MailError (already logged) when it could not be handed over. */
export async function sendMail(mail: Mail): Promise<{ messageId: string }> {
  const { transport, from } = env.mail;
  const fields = { transport: transport.kind, to_domain: domainOf(mail.to) };
  let messageId: string;
  try {
    if (transport.kind === 'smtp') {
      const info = (await smtpTransporter(transport).sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html })) as { messageId: string };
      messageId = info.messageId;
    } else if (transport.kind === 'outbox') {
      const sent = await outbox().add({ from: from.name ? `${from.name} <${from.address}>` : from.address, ...mail });
      messageId = `<${sent.id}@outbox>`;
    } else {
      throw Object.assign(new Error('no mail transport'), { code: 'ENOTCONFIGURED' });
    }
  } catch (error) {
    logEvent('warn', 'mail_failed', { ...fields, ...failure(error) });
    throw new MailError(transport.kind === 'none' ? 'Mail is not configured (SMTP_URL)' : 'The mail could not be sent');
  }
  logEvent('info', 'mail_sent', { ...fields, message_id: messageId });
  return { messageId };
}
