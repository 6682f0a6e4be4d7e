import { env } from '@/server/env';

/**
 * The app's mails, as plain text and simple HTML with the same words. Everything interpolated is
 * escaped in the HTML (a task title is data, never markup); links are absolute, on the app's
 * public origin (BETTER_AUTH_URL).
 */

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);
}

/** An absolute link to `pathname` (with any query or fragment) on the app's public origin. */
export function appLink(pathname: string): string {
  return new URL(pathname, env.baseUrl).toString();
}

export interface MailParts {
  subject: string;
  /** The first line, as a heading. */
  heading: string;
  paragraphs: string[];
  action: { label: string; href: string };
  /** Why the person gets this mail, and how to stop it. */
  footer: { text: string; link: { label: string; href: string } };
}

const oneLine = (value: string) => value.replace(/\s+/g, ' ').trim();

export function composeMail(parts: MailParts): MailContent {
  const heading = oneLine(parts.heading);
  const text = [
    heading,
    ...parts.paragraphs,
    `${parts.action.label}: ${parts.action.href}`,
    '--',
    `${parts.footer.text} ${parts.footer.link.label}: ${parts.footer.link.href}`,
  ].join('\n\n');
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(oneLine(parts.subject))}</title></head>
<body style="margin:0;padding:24px;font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:16px;line-height:1.5;color:#18181b;background:#ffffff">
<h1 style="margin:0 0 16px;font-size:20px">${escapeHtml(heading)}</h1>
${parts.paragraphs.map((paragraph) => `<p style="margin:0 0 16px">${escapeHtml(paragraph)}</p>`).join('\n')}
<p style="margin:0 0 24px"><a href="${escapeHtml(parts.action.href)}" style="display:inline-block;padding:8px 16px;border-radius:6px;background:#18181b;color:#ffffff;text-decoration:none">${escapeHtml(parts.action.label)}</a></p>
<p style="margin:0;font-size:13px;color:#52525b">${escapeHtml(parts.footer.text)} <a href="${escapeHtml(parts.footer.link.href)}" style="color:#52525b">${escapeHtml(parts.footer.link.label)}</a></p>
</body>
</html>
`;
  return { subject: oneLine(parts.subject), text, html };
}
