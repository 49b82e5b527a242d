// One extract in the results: its photograph (or a plain frame saying there is none), the name
// as a link to the extract's page, what kind of notice, age, nationality and requesting country.
import { useI18n } from '../app/i18n';
import { countryName } from '../i18n/countries';
import { imageUrl, type PublicExtract } from './api';
import { extractPath } from './paths';
import { kindLabel, latinName, nationalities, subjectName } from './present';
import { ageOn } from './query';

export function ExtractCard({ extract }: { extract: PublicExtract }) {
  const { t, lang } = useI18n();
  const name = subjectName(extract) ?? t('extract.unknownSubject', { number: extract.control_number });
  const latin = latinName(extract);
  const age = ageOn(extract.date_of_birth, new Date());
  const photo = extract.images?.[0];
  const nat = nationalities(lang, extract);
  return (
    <article class={`extract-card kind-${extract.kind}`} data-testid="extract-card">
      {photo ? (
        <img class="photo" src={imageUrl(extract, photo.seq)} alt={t('extract.photoOf', { name })} loading="lazy" />
      ) : (
        <div class="photo photo-none">{t('extract.noPhoto')}</div>
      )}
      <div class="extract-card-text">
        <p class="kind-badge">{kindLabel(t, extract.kind)}</p>
        <h3>
          <a href={extractPath(extract.id)} dir="auto">
            {name}
          </a>
        </h3>
        {latin && <p class="latin-name" dir="auto">{latin}</p>}
        <ul class="card-facts">
          {age !== null && <li>{t('extract.age', { count: age })}</li>}
          {nat && <li>{nat}</li>}
          <li>
            {t('extract.requestingCountry')}: {countryName(extract.requesting_country, lang)}
          </li>
        </ul>
      </div>
    </article>
  );
}
