// The console's canonical encoding and signature check on the shared test vectors
// (tests/vectors/message-signing.json), which the C++ and Python signers also produce.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AgencyKey, Message, SignedContent } from '../api/types';
import { canonicalEncoding, messageVersion } from './canonical';
import { keyIdOf, fromHex, verifyMessage } from './verify';

interface Vectors {
  public_key: string;
  key_id: string;
  cases: { name: string; content: SignedContent; canonical: string; signature: string }[];
}
const vectors = JSON.parse(readFileSync(new URL('../../../tests/vectors/message-signing.json', import.meta.url), 'utf8')) as Vectors;
const key: AgencyKey = { key_id: vectors.key_id, agency_id: 'ncb-fra', public_key: vectors.public_key, created_at: '2026-01-01T00:00:00Z', revoked_at: null };
const message = (c: (typeof vectors.cases)[number], content = c.content): Message =>
  ({ id: 'msg_1', accepted_at: '2026-01-01T00:00:00Z', recipients: [], key_id: vectors.key_id, signature: c.signature, content });

describe('canonical encoding and signatures (shared test vectors)', () => {
  it('has vectors of every version', () => {
    expect(new Set(vectors.cases.map((c) => messageVersion(c.content)))).toEqual(new Set([1, 2, 3]));
  });

  it('derives the key id from the public key', async () => {
    expect(await keyIdOf(fromHex(vectors.public_key))).toBe(vectors.key_id);
  });

  for (const c of vectors.cases) {
    it(`${c.name}: encodes the same bytes`, () => {
      expect(new TextDecoder().decode(canonicalEncoding(c.content))).toBe(c.canonical);
    });

    it(`${c.name}: the signature verifies, and a changed subject does not`, async () => {
      expect((await verifyMessage(message(c), [key])).state).toBe('valid');
      const tampered = { ...c.content, subject: `${c.content.subject}.` };
      expect((await verifyMessage(message(c, tampered), [key])).state).toBe('invalid');
    });
  }

  it('refuses a key of another agency, an unknown key and a key that does not hash to its id', async () => {
    const c = vectors.cases[0]!;
    expect(await verifyMessage(message(c), [{ ...key, agency_id: 'ncb-deu' }])).toEqual({ state: 'wrong_agency', owner: 'ncb-deu' });
    expect((await verifyMessage(message(c), [])).state).toBe('unknown_key');
    const other = '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c';
    expect((await verifyMessage(message(c), [{ ...key, public_key: other }])).state).toBe('unknown_key');
  });
});
