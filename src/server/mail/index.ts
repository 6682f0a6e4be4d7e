/** The app's mail: send one (send.ts), what it says (compose.ts, one file per kind), and the development outbox (outbox.ts). */
export { MailError, sendMail, type Mail } from './send';
export { clearOutbox, readOutbox, type OutboxMail } from './outbox';
