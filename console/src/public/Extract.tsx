// A page per extract (<base>notices/<id>): every public field, every image, who asked for it and
// since when, and what to do with information. An extract that is not (or no longer) published
// says so, as the API does, without telling why.
import { useRoute } from 'preact-iso';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../app/i18n';
import { countryName } from '../i18n/countries';
import { formatDateTime } from '../i18n/format';
import { getExtract, imageUrl, PublicError, type PublicExtract } from './api';
import { BASE } from './paths';
import { errorWords, facts, kindLabel, subjectName } from './present';
import { RateLimited } from './RateLimited';

export function Extract() {
  const { t, lang } = useI18n();
  const { params } = useRoute();
  const id = params.id ?? '';
  const [extract, setExtract] = useState<PublicExtract | null>(null);
  const [error, setError] = useState<PublicError | null>(null);
  const [attempt, setAttempt] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    const abort = new AbortController();
    setError(null);
    getExtract(id, abort.signal)
      .then(setExtract)
      .catch((e: unknown) => {
        if (!abort.signal.aborted) setError(e instanceof PublicError ? e : new PublicError(0, 'network'));
      });
    return () => abort.abort();
  }, [id, attempt]);

  useEffect(() => {
    if (extract) heading.current?.focus();
  }, [extract]);

  const back = (
    <p>
      <a href={BASE}>{t('extract.back')}</a>
    </p>
  );
  if (error) {
    return (
      <div class="public-extract">
        {back}
        <h1>{t('extract.unavailable')}</h1>
        <div role="status">
          {error.status === 429 ? (
            <RateLimited error={error} onRetry={() => setAttempt((a) => a + 1)} />
          ) : (
            <p class="error-box">{errorWords(t, error)}</p>
          )}
        </div>
      </div>
    );
  }
  if (!extract || extract.id !== id) return <p role="status">{t('extract.loading')}</p>;

  const name = subjectName(extract) ?? t('extract.unknownSubject', { number: extract.control_number });
  const country = countryName(extract.requesting_country, lang);
  return (
    <article class={`public-extract kind-${extract.kind}`} data-testid="extract">
      {back}
      <p class="kind-badge">{kindLabel(t, extract.kind)}</p>
      <h1 ref={heading} tabIndex={-1} dir="auto">
        {name}
      </h1>
      <div class="extract-layout">
        <div class="extract-images">
          {(extract.images ?? []).length === 0 && <div class="photo photo-none">{t('extract.noPhoto')}</div>}
          {(extract.images ?? []).map((image, i) => (
            <img key={image.seq} class="photo" src={imageUrl(extract, image.seq)}
              alt={i === 0 ? t('extract.photoOf', { name }) : t('extract.imageOf', { seq: image.seq })} />
          ))}
        </div>
        <dl class="facts">
          {facts(t, lang, extract).map((f) => (
            <div class="fact" key={f.key} data-field={f.key}>
              <dt>{f.label}</dt>
              <dd dir="auto">{f.value}</dd>
            </div>
          ))}
          <div class="fact">
            <dt>{t('extract.controlNumber')}</dt>
            <dd>{extract.control_number}</dd>
          </div>
          <div class="fact">
            <dt>{t('extract.requestingCountry')}</dt>
            <dd>{country}</dd>
          </div>
          <div class="fact">
            <dt>{t('extract.published')}</dt>
            <dd>{formatDateTime(extract.published, lang)}</dd>
          </div>
        </dl>
      </div>
      <p class="call">{t('extract.call', { country, number: extract.control_number })}</p>
    </article>
  );
}
