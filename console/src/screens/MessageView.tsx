// One message as signed (GET /v1/messages/{id}; reading it sends the read receipt), its body
// as plain text, and for a message the agency sent, each recipient's receipt.
import { useEffect, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { api } from '../api/client';
import { getMessage, getReceipts } from '../api/messages';
import type { AgencyKey, Message, Receipt } from '../api/types';
import { useI18n } from '../app/i18n';
import { useMe } from '../app/session';
import { ErrorBox } from '../components/ErrorBox';
import { formatDateTime, languageTagName } from '../i18n/format';
import { verifyMessage, type SignatureVerdict } from '../messaging/verify';

export function MessageView() {
  const { t } = useI18n();
  const me = useMe();
  const { params } = useRoute();
  const id = params.id ?? '';
  const [message, setMessage] = useState<Message | null>(null);
  const [receipts, setReceipts] = useState<Receipt[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const abort = new AbortController();
    setMessage(null);
    setReceipts(null);
    getMessage(id, abort.signal)
      .then((m) => {
        setMessage(m);
        if (m.content.sender_agency === me.agency.id) return getReceipts(id, abort.signal).then(setReceipts);
        return undefined;
      })
      .catch((e: unknown) => {
        if (!abort.signal.aborted) setError(e);
      });
    return () => abort.abort();
  }, [id, me.agency.id]);

  return (
    <div class="message-view">
      <p><a href="/messages">{t('message.back')}</a></p>
      <ErrorBox error={error} />
      {!message && !error && <p>{t('app.loading')}</p>}
      {message && <MessageBody message={message} />}
      {receipts && <Receipts receipts={receipts} />}
    </div>
  );
}

function MessageBody({ message }: { message: Message }) {
  const { t, lang } = useI18n();
  const c = message.content;
  const facts: [string, string | undefined][] = [
    [t('message.sender'), c.sender_agency],
    [t('message.recipients'), message.recipients.join(', ')],
    [t('message.officer'), c.sender_user],
    [t('message.created'), formatDateTime(c.created_ms, lang)],
    [t('message.accepted'), formatDateTime(message.accepted_at, lang)],
    [t('message.language'), languageTagName(c.language, lang)],
    [t('message.handling'), c.handling],
    [t('message.thread'), c.thread_id],
    [t('message.replyTo'), c.reply_to],
    [t('message.links'), c.links?.join(', ')],
  ];
  return (
    <article>
      <h1 class="subject" data-testid="message-subject" lang={c.language} dir="auto">{c.subject}</h1>
      <p>
        <span class={`badge priority-${c.priority}`}>{t(`priority.${c.priority}`)}</span>{' '}
        <span class="badge">{t(`classification.${c.classification}`)}</span>
      </p>
      <dl class="facts">
        {facts.filter(([, v]) => v).map(([label, v]) => (
          <div key={label} class="fact"><dt>{label}</dt><dd>{v}</dd></div>
        ))}
      </dl>
      {c.attachments && c.attachments.length > 0 && (
        <section aria-labelledby="attachments">
          <h2 id="attachments">{t('message.attachments')}</h2>
          <ul>
            {c.attachments.map((a) => (
              <li key={a.sha256}>{t('message.attachment', { name: a.name, size: a.size, type: a.media_type })}</li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="body">
        <h2 id="body">{t('message.body')}</h2>
        <pre class="message-text" lang={c.language} dir="auto" data-testid="message-body">{c.body}</pre>
      </section>
      <Signature message={message} />
    </article>
  );
}

function Receipts({ receipts }: { receipts: Receipt[] }) {
  const { t, lang } = useI18n();
  const when = (v: string | null) => (v ? formatDateTime(v, lang) : t('message.never'));
  return (
    <section aria-labelledby="receipts">
      <h2 id="receipts">{t('message.receipts')}</h2>
      <table class="messages">
        <thead>
          <tr>
            <th scope="col">{t('message.receiptAgency')}</th>
            <th scope="col">{t('message.receiptState')}</th>
            <th scope="col">{t('message.receiptQueued')}</th>
            <th scope="col">{t('message.receiptDelivered')}</th>
            <th scope="col">{t('message.receiptRead')}</th>
          </tr>
        </thead>
        <tbody>
          {receipts.map((r) => (
            <tr key={r.agency_id}>
              <td>{r.agency_id}</td>
              <td>{t(`messages.stateValue.${r.state}`)}</td>
              <td>{formatDateTime(r.queued_at, lang)}</td>
              <td>{when(r.delivered_at)}</td>
              <td>{when(r.read_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

// Verified here, in the browser, against the key directory the hub publishes: the hub checked
// the signature when it accepted the message, and this checks that what arrived is what was
// signed.
function Signature({ message }: { message: Message }) {
  const { t, lang } = useI18n();
  const [verdict, setVerdict] = useState<SignatureVerdict | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setVerdict(null);
    api<{ keys: AgencyKey[] }>('GET', '/v1/keys')
      .then((d) => verifyMessage(message, d.keys))
      .then(setVerdict, setError);
  }, [message]);
  const agency = message.content.sender_agency;
  const key = message.key_id;
  let text = t('message.sigChecking');
  if (verdict?.state === 'valid') {
    text = verdict.key.revoked_at
      ? t('message.sigValidRevoked', { agency, key, date: formatDateTime(verdict.key.revoked_at, lang) })
      : t('message.sigValid', { agency, key });
  } else if (verdict?.state === 'invalid') text = t('message.sigInvalid', { agency });
  else if (verdict?.state === 'unknown_key') text = t('message.sigUnknownKey', { key });
  else if (verdict?.state === 'wrong_agency') text = t('message.sigWrongAgency', { key, owner: verdict.owner, agency });
  else if (verdict?.state === 'unsupported') text = t('message.sigUnsupported');
  const cls = verdict?.state === 'valid' ? 'sig sig-valid' : verdict ? 'sig sig-bad' : 'sig';
  return (
    <section aria-labelledby="signature">
      <h2 id="signature">{t('message.signature')}</h2>
      <ErrorBox error={error} />
      {!error && (
        <p class={cls} role={verdict && verdict.state !== 'valid' ? 'alert' : 'status'} data-testid="signature" data-state={verdict?.state ?? 'checking'}>
          {text}
        </p>
      )}
    </section>
  );
}
