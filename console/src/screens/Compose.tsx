// Compose and send a message, signed in the browser with the agency's key (imported once per
// workstation from the CLI's key file, kept non-extractable in IndexedDB, never sent to the
// hub). The content is format v3: it names the officer (sender_user), as the hub checks.
import { useLocation } from 'preact-iso';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import { errorText } from '../api/errors';
import { PRIORITIES } from '../api/messages';
import type { AgencyKey, Classification, Priority, SignedContent } from '../api/types';
import { useI18n } from '../app/i18n';
import { useMe } from '../app/session';
import { Field } from '../components/Field';
import { countryName } from '../i18n/countries';
import { languageTagName } from '../i18n/format';
import { LANGUAGES } from '../i18n/languages';
import { clearDraft, type Draft, loadDraft, saveDraft } from '../messaging/draft';
import { loadKey, saveKey, type StoredKey } from '../messaging/keystore';
import { importSeed, parseKeyFile, signContent } from '../messaging/sign';

const CLASSIFICATIONS: readonly Classification[] = ['unclassified', 'interpol_fouo', 'interpol_restricted', 'interpol_confidential'];
type FieldName = 'countries' | 'classification' | 'priority' | 'language' | 'subject' | 'body' | 'key';
type KeyState = 'loading' | 'none' | 'unregistered' | 'revoked' | 'registered' | 'file_invalid';

const EMPTY: Draft = { countries: '', classification: 'interpol_restricted', priority: 'routine', language: 'en', subject: '', body: '' };

function countryCodes(text: string): string[] {
  return text.split(/[\s,;]+/).map((s) => s.trim().toUpperCase()).filter(Boolean);
}

// The field an API refusal is about: invalid_message says "[content.]<field>: <why>".
function fieldOf(error: ApiError): FieldName | null {
  if (['no_recipients', 'unknown_country', 'unknown_recipient'].includes(error.code)) return 'countries';
  if (['invalid_signature', 'sender_mismatch'].includes(error.code)) return 'key';
  const field = error.message.split(':')[0]?.replace(/^content\./, '').split('.')[0];
  if (field === 'to') return 'countries';
  if (field === 'subject' || field === 'body' || field === 'classification' || field === 'priority' || field === 'language') return field;
  return null;
}

export function Compose() {
  const { t, lang } = useI18n();
  const me = useMe();
  const { route } = useLocation();
  const user = me.user?.name ?? '';
  const [draft, setDraft] = useState<Draft>(() => ({ ...EMPTY, language: lang, ...loadDraft(me.agency.id, user) }));
  const [key, setKey] = useState<StoredKey | null>(null);
  const [keyState, setKeyState] = useState<KeyState>('loading');
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // One idempotency key per content: a retry of the same text cannot send it twice.
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());

  useEffect(() => saveDraft(me.agency.id, user, draft), [draft, me.agency.id, user]);

  const checkKey = async (k: StoredKey | null) => {
    if (!k) return setKeyState('none');
    const { keys } = await api<{ keys: AgencyKey[] }>('GET', '/v1/keys');
    const entry = keys.find((e) => e.key_id === k.keyId && e.agency_id === me.agency.id);
    setKeyState(!entry ? 'unregistered' : entry.revoked_at ? 'revoked' : 'registered');
  };

  useEffect(() => {
    loadKey(me.agency.id)
      .then(async (k) => {
        setKey(k ?? null);
        await checkKey(k ?? null);
      })
      .catch(() => setKeyState('none'));
  }, [me.agency.id]);

  const importFile = async (file: File | undefined) => {
    if (!file) return;
    try {
      const imported = await importSeed(parseKeyFile(await file.text()));
      const stored: StoredKey = { agency: me.agency.id, keyId: imported.keyId, privateKey: imported.privateKey };
      await saveKey(stored);
      setKey(stored);
      await checkKey(stored);
    } catch (e) {
      if (e instanceof ApiError) setFailure(errorText(t, e));
      else setKeyState('file_invalid');
    }
  };

  const set = (name: keyof Draft) => (e: Event) => {
    const value = (e.currentTarget as HTMLInputElement).value;
    setDraft((d) => ({ ...d, [name]: value }));
    setIdempotencyKey(crypto.randomUUID());
  };

  const send = async (e: Event) => {
    e.preventDefault();
    setFailure(null);
    const found: Partial<Record<FieldName, string>> = {};
    const countries = countryCodes(draft.countries);
    if (countries.length === 0) found.countries = t('compose.err.countriesRequired');
    else if (countries.some((c) => !/^[A-Z]{3}$/.test(c))) found.countries = t('compose.err.countryCode');
    if (!draft.subject.trim()) found.subject = t('compose.err.subjectRequired');
    if (!key || keyState !== 'registered') found.key = t('compose.err.keyRequired');
    setErrors(found);
    if (Object.keys(found).length > 0 || !key) {
      const first = document.querySelector<HTMLElement>('.compose [aria-invalid=true]');
      first?.focus();
      return;
    }
    const content: SignedContent = {
      sender_agency: me.agency.id,
      sender_user: user,
      idempotency_key: idempotencyKey,
      created_ms: Date.now(),
      to: { agencies: [], countries, all_ncbs: false },
      subject: draft.subject,
      body: draft.body,
      classification: draft.classification as Classification,
      handling: '',
      priority: draft.priority as Priority,
      language: draft.language,
      thread_id: '',
      reply_to: '',
      links: [],
    };
    setBusy(true);
    try {
      const signature = await signContent(key.privateKey, content);
      const sent = await api<{ message_id: string }>('POST', '/v1/messages', {
        body: { content, key_id: key.keyId, signature },
        idempotencyKey,
      });
      clearDraft(me.agency.id, user);
      route(`/messages/${encodeURIComponent(sent.message_id)}`);
    } catch (err) {
      const text = errorText(t, err);
      const field = err instanceof ApiError ? fieldOf(err) : null;
      if (field) setErrors({ [field]: text });
      setFailure(text);
    } finally {
      setBusy(false);
    }
  };

  const codes = countryCodes(draft.countries);
  return (
    <div class="compose">
      <h1>{t('compose.title')}</h1>
      <section aria-labelledby="compose-key">
        <h2 id="compose-key">{t('compose.key.title')}</h2>
        <p data-testid="key-state" data-state={keyState}>
          {t(`compose.key.${keyState}`, { key: key?.keyId ?? '' })}
        </p>
        <Field label={t('compose.key.file')} hint={t('compose.key.hint')} error={errors.key}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              name="keyfile"
              type="file"
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onChange={(e) => void importFile(e.currentTarget.files?.[0])}
            />
          )}
        </Field>
      </section>
      <form onSubmit={(e) => void send(e)} noValidate>
        <Field label={t('compose.countries')} hint={t('compose.countriesHint')} error={errors.countries}>
          {({ id, describedBy, invalid }) => (
            <input id={id} name="countries" value={draft.countries} onInput={set('countries')} aria-describedby={describedBy} aria-invalid={invalid} autocomplete="off" />
          )}
        </Field>
        {codes.length > 0 && (
          <ul class="country-names" data-testid="country-names">
            {codes.map((c) => (
              <li key={c}>{`${c}: ${countryName(c, lang)}`}</li>
            ))}
          </ul>
        )}
        <Field label={t('messages.classification')} error={errors.classification}>
          {({ id, describedBy, invalid }) => (
            <select id={id} name="classification" value={draft.classification} onChange={set('classification')} aria-describedby={describedBy} aria-invalid={invalid}>
              {CLASSIFICATIONS.map((c) => <option key={c} value={c}>{t(`classification.${c}`)}</option>)}
            </select>
          )}
        </Field>
        <Field label={t('messages.priority')} error={errors.priority}>
          {({ id, describedBy, invalid }) => (
            <select id={id} name="priority" value={draft.priority} onChange={set('priority')} aria-describedby={describedBy} aria-invalid={invalid}>
              {PRIORITIES.map((p) => <option key={p} value={p}>{t(`priority.${p}`)}</option>)}
            </select>
          )}
        </Field>
        <Field label={t('compose.language')} error={errors.language}>
          {({ id, describedBy, invalid }) => (
            <select id={id} name="language" value={draft.language} onChange={set('language')} aria-describedby={describedBy} aria-invalid={invalid}>
              {LANGUAGES.map((l) => <option key={l} value={l}>{languageTagName(l, lang)}</option>)}
            </select>
          )}
        </Field>
        <Field label={t('messages.subject')} error={errors.subject}>
          {({ id, describedBy, invalid }) => (
            <input id={id} name="subject" value={draft.subject} onInput={set('subject')} aria-describedby={describedBy} aria-invalid={invalid} maxLength={998} />
          )}
        </Field>
        <Field label={t('compose.body')} error={errors.body}>
          {({ id, describedBy, invalid }) => (
            <textarea id={id} name="body" rows={12} value={draft.body} onInput={set('body')} aria-describedby={describedBy} aria-invalid={invalid} />
          )}
        </Field>
        {failure && <p class="error-box" role="alert">{failure}</p>}
        <button type="submit" class="primary" disabled={busy}>{t('compose.send')}</button>
      </form>
    </div>
  );
}
