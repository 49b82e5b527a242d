// The console's signer produces exactly the signatures of the shared test vectors
// (tests/vectors/message-signing.json), every case, with WebCrypto's Ed25519 in Node.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SignedContent } from '../api/types';
import { importSeed, KeyFileError, parseKeyFile, signContent } from './sign';

interface Vectors {
  seed: string;
  public_key: string;
  key_id: string;
  cases: { name: string; content: SignedContent; signature: string }[];
}
const vectors = JSON.parse(readFileSync(new URL('../../../tests/vectors/message-signing.json', import.meta.url), 'utf8')) as Vectors;

describe('signing in the browser (shared test vectors)', () => {
  it('reads a key file as the CLI writes it and derives the public key and key id', async () => {
    const key = await importSeed(parseKeyFile(`${vectors.seed}\n`));
    expect(key.publicKey).toBe(vectors.public_key);
    expect(key.keyId).toBe(vectors.key_id);
    expect(key.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('pkcs8', key.privateKey)).rejects.toThrow();
  });

  it('refuses a file that is not a key file', () => {
    expect(() => parseKeyFile('hello')).toThrow(KeyFileError);
    expect(() => parseKeyFile(`${vectors.seed}00`)).toThrow(KeyFileError);
  });

  for (const c of vectors.cases) {
    it(`${c.name}: the same signature as the C++ signer`, async () => {
      const key = await importSeed(parseKeyFile(vectors.seed));
      expect(await signContent(key.privateKey, c.content)).toBe(c.signature);
    });
  }
});
