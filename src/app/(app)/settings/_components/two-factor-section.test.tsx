import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { ORIGIN, server } from '@/test/components/fixtures';
import { AppProviders } from '../../_components/app-providers';
import { normalizeCode, secretOf, TwoFactorSection } from './two-factor-section';

const PASSWORD = 'the-right-password';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const URI = `otpauth://totp/Tasklane:ada%40example.com?secret=${SECRET}&issuer=Tasklane&digits=6&period=30`;
const CODES = ['aaaaa-11111', 'bbbbb-22222', 'ccccc-33333'];
const NEW_CODES = ['ddddd-44444', 'eeeee-55555'];

/** Better Auth's two-factor endpoints as it answers them: the password and the code `123456` are right. What each was sent. */
function twoFactorEndpoints() {
  const sent: { path: string; body: unknown }[] = [];
  const wrongPassword = () => HttpResponse.json({ code: 'INVALID_PASSWORD', message: 'Invalid password' }, { status: 400 });
  const endpoint = (path: string, answer: (body: Record<string, unknown>) => Response) =>
    http.post(`${ORIGIN}/api/auth/two-factor/${path}`, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      sent.push({ path, body });
      return answer(body);
    });
  server.use(
    endpoint('enable', (body) => (body.password === PASSWORD ? HttpResponse.json({ totpURI: URI, backupCodes: CODES }) : wrongPassword())),
    endpoint('verify-totp', (body) => (body.code === '123456' ? HttpResponse.json({ token: 't', user: {} }) : HttpResponse.json({ code: 'INVALID_CODE', message: 'Invalid code' }, { status: 401 }))),
    endpoint('disable', (body) => (body.password === PASSWORD ? HttpResponse.json({ status: true }) : wrongPassword())),
    endpoint('generate-backup-codes', (body) => (body.password === PASSWORD ? HttpResponse.json({ status: true, backupCodes: NEW_CODES }) : wrongPassword())),
  );
  return sent;
}

function renderSection(initialEnabled: boolean) {
  const onChanged = vi.fn();
  const onSessionExpired = vi.fn();
  const user = userEvent.setup();
  render(
    <AppProviders onSessionExpired={onSessionExpired} retry={false}>
      <TwoFactorSection initialEnabled={initialEnabled} onChanged={onChanged} />
    </AppProviders>,
  );
  return { user, onChanged, onSessionExpired };
}

const section = () => screen.getByRole('group', { name: 'Two-factor authentication' });
const status = () => within(section()).getByRole('status');
const passwordBox = () => screen.getByLabelText('Confirm with your password');

describe('TwoFactorSection: turning it on', () => {
  it('asks for the password, shows the QR code, the setup key and the backup codes, and turns on with a code from the app', async () => {
    const sent = twoFactorEndpoints();
    const { user, onChanged } = renderSection(false);
    expect(section()).toHaveTextContent('Off.');
    await user.click(screen.getByRole('button', { name: 'Turn on two-factor authentication' }));
    expect(passwordBox()).toHaveFocus();
    await user.type(passwordBox(), PASSWORD);
    await user.click(screen.getByRole('button', { name: 'Continue' }));

    const qr = await screen.findByRole('img', { name: /Scan this QR code/ });
    expect(qr.querySelector('svg')).not.toBeNull();
    expect(screen.getByRole('textbox', { name: 'Setup key' })).toHaveValue(SECRET);
    expect(within(screen.getByRole('list', { name: /Backup codes/ })).getAllByRole('listitem').map((item) => item.textContent)).toEqual(CODES);
    expect(section()).toHaveTextContent('Off.');

    await user.click(screen.getByRole('button', { name: 'Copy codes' }));
    expect(await navigator.clipboard.readText()).toContain(CODES.join('\n'));
    expect(status()).toHaveTextContent('Backup codes copied.');

    await user.type(screen.getByRole('textbox', { name: '6-digit code' }), '123 456');
    await user.click(screen.getByRole('button', { name: 'Turn on' }));
    await waitFor(() => expect(status()).toHaveTextContent('Two-factor authentication is on. Signing in now asks for a code from your app.'));
    expect(section()).toHaveTextContent('On.');
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Turn off…' })).toBeInTheDocument();
    expect(sent).toEqual([
      { path: 'enable', body: { password: PASSWORD } },
      { path: 'verify-totp', body: { code: '123456' } },
    ]);
    expect(onChanged).toHaveBeenCalledTimes(1);
  });

  it('says a wrong password plainly; nothing changed', async () => {
    const sent = twoFactorEndpoints();
    const { user } = renderSection(false);
    await user.click(screen.getByRole('button', { name: 'Turn on two-factor authentication' }));
    await user.type(passwordBox(), 'not-it');
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(await within(section()).findByRole('alert')).toHaveTextContent('That password is not right. Nothing was changed.');
    expect(passwordBox()).toHaveAttribute('aria-invalid', 'true');
    expect(passwordBox()).toHaveAccessibleDescription('That password is not right.');
    expect(passwordBox()).toHaveFocus();
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
    expect(sent).toHaveLength(1);
  });

  it('says a wrong code plainly, stays on the setup, and is not a lost session', async () => {
    twoFactorEndpoints();
    const { user, onSessionExpired, onChanged } = renderSection(false);
    await user.click(screen.getByRole('button', { name: 'Turn on two-factor authentication' }));
    await user.type(passwordBox(), PASSWORD);
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    const code = await screen.findByRole('textbox', { name: '6-digit code' });
    await user.type(code, '654321');
    await user.click(screen.getByRole('button', { name: 'Turn on' }));
    expect(await within(section()).findByRole('alert')).toHaveTextContent('That code is not right.');
    expect(code).toHaveValue('');
    expect(code).toHaveAttribute('aria-invalid', 'true');
    expect(code).toHaveFocus();
    expect(screen.getByRole('img', { name: /Scan this QR code/ })).toBeInTheDocument();
    expect(section()).toHaveTextContent('Off.');
    expect(onSessionExpired).not.toHaveBeenCalled();
    expect(onChanged).not.toHaveBeenCalled();
  });

  it('checks for 6 digits before sending', async () => {
    const sent = twoFactorEndpoints();
    const { user } = renderSection(false);
    await user.click(screen.getByRole('button', { name: 'Turn on two-factor authentication' }));
    await user.type(passwordBox(), PASSWORD);
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    await user.type(await screen.findByRole('textbox', { name: '6-digit code' }), '12345');
    await user.click(screen.getByRole('button', { name: 'Turn on' }));
    expect(screen.getByRole('textbox', { name: '6-digit code' })).toHaveAccessibleDescription('Enter the 6 digits your app shows.');
    expect(sent.map((each) => each.path)).toEqual(['enable']);
  });
});

describe('TwoFactorSection: when on', () => {
  it('makes new backup codes with the password', async () => {
    const sent = twoFactorEndpoints();
    const { user } = renderSection(true);
    await user.click(screen.getByRole('button', { name: 'New backup codes…' }));
    await user.type(passwordBox(), PASSWORD);
    await user.click(screen.getByRole('button', { name: 'Make new backup codes' }));
    const list = await screen.findByRole('list', { name: /Backup codes/ });
    expect(within(list).getAllByRole('listitem').map((item) => item.textContent)).toEqual(NEW_CODES);
    expect(status()).toHaveTextContent('New backup codes made. The old ones no longer work.');
    expect(sent).toEqual([{ path: 'generate-backup-codes', body: { password: PASSWORD } }]);
    await user.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('list')).not.toBeInTheDocument();
  });

  it('turns it off with the password; a wrong one changes nothing', async () => {
    const sent = twoFactorEndpoints();
    const { user, onChanged } = renderSection(true);
    await user.click(screen.getByRole('button', { name: 'Turn off…' }));
    await user.type(passwordBox(), 'not-it');
    await user.click(screen.getByRole('button', { name: 'Turn off two-factor authentication' }));
    expect(await within(section()).findByRole('alert')).toHaveTextContent('That password is not right. Nothing was changed.');
    expect(section()).toHaveTextContent('On.');
    await user.clear(passwordBox());
    await user.type(passwordBox(), PASSWORD);
    await user.click(screen.getByRole('button', { name: 'Turn off two-factor authentication' }));
    await waitFor(() => expect(status()).toHaveTextContent('Two-factor authentication is off.'));
    expect(section()).toHaveTextContent('Off.');
    expect(sent.map((each) => each.path)).toEqual(['disable', 'disable']);
    expect(onChanged).toHaveBeenCalledTimes(1);
  });

  it('sends the person to sign in when the session has ended', async () => {
    server.use(http.post(`${ORIGIN}/api/auth/two-factor/disable`, () => HttpResponse.json({ message: 'Unauthorized', code: 'UNAUTHORIZED' }, { status: 401 })));
    const { user, onSessionExpired } = renderSection(true);
    await user.click(screen.getByRole('button', { name: 'Turn off…' }));
    await user.type(passwordBox(), PASSWORD);
    await user.click(screen.getByRole('button', { name: 'Turn off two-factor authentication' }));
    await waitFor(() => expect(onSessionExpired).toHaveBeenCalled());
  });
});

describe('two-factor helpers', () => {
  it('reads the setup key from the URI and takes a code with a space', () => {
    expect(secretOf(URI)).toBe(SECRET);
    expect(normalizeCode('123 456')).toBe('123456');
    expect(normalizeCode('12345')).toBeNull();
    expect(normalizeCode('12345a')).toBeNull();
  });
});
