import { describe, expect, it } from 'vitest';
import type { FieldSpec } from '../api/records';
import { emptyForm, fieldOfMessage, fromFields, toFields } from './schemaForm';

// Shaped like the catalogue's NOMINAL and SMV (src/records/catalogue_data.cc), not copied from it.
const PERSON: FieldSpec[] = [
  { name: 'name', type: 'text', required: true, max_length: 10 },
  { name: 'aliases', type: 'text_list', max_items: 2 },
  { name: 'sex', type: 'enum', values: ['M', 'F', 'U'] },
  { name: 'date_of_birth', type: 'partial_date' },
  { name: 'nationalities', type: 'country_list', max_items: 5 },
  { name: 'year', type: 'integer', min: 1886, max: 2100 },
  { name: 'seen', type: 'date' },
  { name: 'identity_documents', type: 'object_list', fields: [
    { name: 'number', type: 'text', required: true, max_length: 40 },
    { name: 'issuing_country', type: 'country', required: true },
  ] },
];

describe('a record form made from a schema', () => {
  it('makes the fields the hub takes, dropping what is empty', () => {
    const values = {
      ...emptyForm(PERSON), name: ' Ana ', aliases: 'A\n\nB\nA', sex: 'F', date_of_birth: '1990-04',
      nationalities: ['fra', 'ESP'], year: '2001',
      identity_documents: [{ number: 'X1', issuing_country: 'esp' }, { number: ' ', issuing_country: '' }],
    };
    expect(toFields(PERSON, values)).toEqual({
      fields: {
        name: 'Ana', aliases: ['A', 'B'], sex: 'F', date_of_birth: '1990-04', nationalities: ['FRA', 'ESP'],
        year: 2001, identity_documents: [{ number: 'X1', issuing_country: 'ESP' }],
      },
      problems: {},
    });
  });

  it('names every problem by its field, as the hub would refuse it', () => {
    const values = {
      ...emptyForm(PERSON), name: 'Anastasia Petrova', aliases: 'a\nb\nc', sex: 'X', date_of_birth: '1990-13',
      year: '1700', seen: '2026-02-30', identity_documents: [{ number: 'X1', issuing_country: '' }],
    };
    expect(toFields(PERSON, values).problems).toEqual({
      name: { code: 'too_long', max: 10 },
      aliases: { code: 'too_many_items', max: 2 },
      sex: { code: 'bad_choice' },
      date_of_birth: { code: 'bad_partial_date' },
      year: { code: 'out_of_range', min: 1886, max: 2100 },
      seen: { code: 'bad_date' },
      'identity_documents.0.issuing_country': { code: 'required' },
    });
    expect(toFields(PERSON, emptyForm(PERSON)).problems).toEqual({ name: { code: 'required' } });
    expect(toFields(PERSON, { ...emptyForm(PERSON), name: 'x', year: '12a' }).problems).toEqual({ year: { code: 'not_integer' } });
  });

  it('fills the form from a stored record and gives the same fields back', () => {
    const fields = { name: 'Ana', aliases: ['A', 'B'], nationalities: ['FRA'], year: 2001, identity_documents: [{ number: 'X1', issuing_country: 'ESP' }] };
    const values = fromFields(PERSON, fields);
    expect(values.aliases).toBe('A\nB');
    expect(values.year).toBe('2001');
    expect(toFields(PERSON, values)).toEqual({ fields, problems: {} });
  });

  it('finds the field a refusal of the hub names', () => {
    expect(fieldOfMessage('"number" is required')).toBe('number');
    expect(fieldOfMessage('year: above 2100')).toBe('year');
    expect(fieldOfMessage('identity_documents[0].number: longer than 40 bytes')).toBe('identity_documents.0.number');
    expect(fieldOfMessage('"identity_documents[1].issuing_country" is required')).toBe('identity_documents.1.issuing_country');
    expect(fieldOfMessage('aliases[2]: control characters')).toBe('aliases');
    expect(fieldOfMessage('no field "colour"')).toBe('colour');
    expect(fieldOfMessage('a document number holds only letters and digits')).toBeNull();
  });
});
