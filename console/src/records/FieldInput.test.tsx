// The record form's fields speak the user's language: labels, hints and enum choices come from
// the catalogues (labels.ts), while the values the form holds, and sends, stay the schema's codes.
import type { TFunction } from 'i18next';
import { renderToString } from 'preact-render-to-string';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FieldSpec } from '../api/records';
import { I18nProvider } from '../app/i18n';
import { initI18n } from '../i18n/i18n';
import { FieldInput } from './FieldInput';
import { databaseTitle, displayValue, fieldLabel, orderedFields } from './labels';

let t: TFunction;
beforeAll(async () => {
  t = await initI18n('ar');
});

const documentType: FieldSpec = {
  name: 'document_type', type: 'enum', required: true,
  values: ['passport', 'identity_card', 'visa', 'residence_permit', 'travel_document', 'other'],
};

function render(spec: FieldSpec, db = 'SLTD', value = ''): string {
  return renderToString(
    <I18nProvider lang="ar" t={t}>
      <FieldInput db={db} spec={spec} path={spec.name} value={value} onChange={() => undefined} problemText={() => null} />
    </I18nProvider>,
  );
}

describe('FieldInput in Arabic', () => {
  it('labels an enum field and its choices in Arabic, with the codes as the values', () => {
    const html = render(documentType);
    expect(html).toContain('نوع الوثيقة');
    expect(html).toContain('<option value="passport">جواز سفر</option>');
    expect(html).not.toMatch(/>\s*(document_type|passport|identity_card)\b/);
  });

  it('translates the hint of a described field and the sub-fields of an object list', () => {
    const name: FieldSpec = { name: 'name', type: 'text', required: true, description: 'full name in the original script' };
    expect(render(name, 'NOMINAL')).toContain('الاسم الكامل بالكتابة الأصلية');
    const docs: FieldSpec = {
      name: 'identity_documents', type: 'object_list',
      fields: [{ name: 'number', type: 'text', required: true }, { name: 'issuing_country', type: 'country', required: true }],
    };
    const html = renderToString(
      <I18nProvider lang="ar" t={t}>
        <FieldInput db="NOMINAL" spec={docs} path="identity_documents" value={[{ number: '', issuing_country: '' }]}
          onChange={() => undefined} problemText={() => null} />
      </I18nProvider>,
    );
    expect(html).toContain('وثائق الهوية');
    expect(html).toContain('بلد الإصدار');
    expect(html).toContain('name="identity_documents.0.issuing_country"');
  });

  it('falls back to the schema when a hub sends a field the catalogues do not know', () => {
    const html = render({ name: 'colour_code', type: 'enum', values: ['teal'], description: 'a new field' }, 'SMV');
    expect(html).toContain('colour_code');
    expect(html).toContain('<option value="teal">teal</option>');
    expect(html).toContain('a new field');
  });
});

describe('displayValue and titles', () => {
  it('shows stored values in words: enum values, countries, lists, object lists', () => {
    expect(databaseTitle(t, { code: 'SLTD', title: 'Stolen and lost travel documents' })).toBe('وثائق السفر المسروقة والمفقودة');
    expect(fieldLabel(t, 'SLTD', 'issuing_country')).toBe('بلد الإصدار');
    expect(displayValue(t, 'ar', 'SLTD', { name: 'status', type: 'enum', values: ['stolen'] }, 'stolen')).toBe('مسروقة');
    expect(displayValue(t, 'ar', 'SLTD', { name: 'issuing_country', type: 'country' }, 'FRA')).toBe('فرنسا');
    expect(displayValue(t, 'ar', 'NOMINAL', { name: 'sex', type: 'enum', values: ['M', 'F', 'U'] }, 'F')).toBe('أنثى');
    const docs: FieldSpec = {
      name: 'identity_documents', type: 'object_list',
      fields: [{ name: 'number', type: 'text' }, { name: 'issuing_country', type: 'country' }],
    };
    expect(displayValue(t, 'ar', 'NOMINAL', docs, [{ number: 'X1', issuing_country: 'DEU' }]))
      .toBe('الرقم: X1, بلد الإصدار: ألمانيا');
    expect(displayValue(t, 'ar', 'NOMINAL', undefined, 'as typed')).toBe('as typed');
  });
});

describe('dates and field order', () => {
  it('shows dates in the language and fields in the schema order', () => {
    expect(displayValue(t, 'en', 'SLTD', { name: 'event_date', type: 'date' }, '2026-03-02')).not.toBe('2026-03-02');
    expect(orderedFields([{ name: 'a', type: 'text' }, { name: 'b', type: 'text' }], { x: 1, b: 2, a: 3 }))
      .toEqual([['a', 3], ['b', 2], ['x', 1]]);
  });
});
