// Sign-in: user name and password, then the TOTP code when the hub says one is needed
// (totp_required). A refused field is marked with the reason; nothing typed is lost.
import i18next from 'i18next';
import type { JSX } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { errorText } from '../api/errors';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { Field } from '../components/Field';
import { HubBusy } from '../components/HubBusy';
import { LanguageSwitch } from '../components/LanguageSwitch';

type Target = 'credentials' | 'totp' | 'form';

function targetOf(error: unknown): Target {
  if (!(error instanceof ApiError)) return 'form';
  if (error.code === 'invalid_credentials') return 'credentials';
  if (error.code === 'totp_required' || error.code === 'invalid_totp') return 'totp';
  return 'form';
}

export function Login() {
  const { t } = useI18n();
  const { login, ended } = useSession();
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needTotp, setNeedTotp] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const totpRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  const submit = async (e: JSX.TargetedEvent<HTMLFormElement>) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login({ user, password, totp: needTotp ? totp : undefined });
    } catch (err) {
      setError(err);
      const target = targetOf(err);
      if (target === 'totp') {
        setNeedTotp(true);
        setTimeout(() => totpRef.current?.focus(), 0);
      } else if (target === 'credentials') {
        passwordRef.current?.focus();
      }
    } finally {
      setBusy(false);
    }
  };

  const target = error ? targetOf(error) : null;
  const message = error ? errorText(t, error) : null;
  let notice: string | null = null;
  if (ended === 'signed_out') notice = t('login.signedOut');
  else if (ended) notice = i18next.exists(`errors.${ended}`) ? t(`errors.${ended}`) : t('login.sessionEnded');

  return (
    <div class="login-page">
      <header class="login-header">
        <p class="brand">{t('app.name')}</p>
        <p class="tagline">{t('app.tagline')}</p>
        <LanguageSwitch />
      </header>
      <main id="main" class="login-main">
        <h1>{t('login.title')}</h1>
        <p>{t('login.intro')}</p>
        {notice && <p class="notice" role="status">{notice}</p>}
        <HubBusy />
        <form onSubmit={submit} noValidate>
          <Field label={t('login.user')} error={target === 'credentials' ? message : null}>
            {({ id, describedBy, invalid }) => (
              <input id={id} name="user" autoComplete="username" required value={user}
                aria-invalid={invalid} aria-describedby={describedBy}
                onInput={(e) => setUser(e.currentTarget.value)} />
            )}
          </Field>
          <Field label={t('login.password')} error={target === 'credentials' ? message : null}>
            {({ id, describedBy, invalid }) => (
              <input id={id} ref={passwordRef} name="password" type="password" required
                autoComplete="current-password" value={password}
                aria-invalid={invalid} aria-describedby={describedBy}
                onInput={(e) => setPassword(e.currentTarget.value)} />
            )}
          </Field>
          {needTotp && (
            <Field label={t('login.totp')} hint={t('login.totpHint')}
              error={target === 'totp' ? message : null}>
              {({ id, describedBy, invalid }) => (
                <input id={id} ref={totpRef} name="totp" inputMode="numeric" pattern="[0-9]{6}"
                  maxLength={6} autoComplete="one-time-code" value={totp}
                  aria-invalid={invalid} aria-describedby={describedBy}
                  onInput={(e) => setTotp(e.currentTarget.value.replace(/\D/g, ''))} />
              )}
            </Field>
          )}
          {target === 'form' && <p class="error-box" role="alert">{message}</p>}
          {target !== 'form' && message && <p class="sr-only" role="alert">{message}</p>}
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t('login.submitting') : t('login.submit')}
          </button>
        </form>
      </main>
    </div>
  );
}
