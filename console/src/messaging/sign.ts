// Signing in the browser: the agency's key file (the one `ncbnet key generate` writes: the
// 32-byte Ed25519 seed as 64 hex characters and a newline) imported with WebCrypto as a
// non-extractable private key, and a message's content signed over its canonical encoding
// (docs/message-format.md). The private key never leaves WebCrypto; the hub never sees it.
import type { SignedContent } from '../api/types';
import { canonicalEncoding } from './canonical';
import { fromHex, keyIdOf } from './verify';

// PKCS#8 (RFC 8410) wrapping of a 32-byte Ed25519 seed: this fixed prefix, then the seed.
const PKCS8_PREFIX = fromHex('302e020100300506032b657004220420');

export class KeyFileError extends Error {}

export function parseKeyFile(text: string): Uint8Array<ArrayBuffer> {
  const hex = text.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new KeyFileError('not an ncbnet key file');
  return fromHex(hex);
}

function pkcs8(seed: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(PKCS8_PREFIX.length + seed.length);
  out.set(PKCS8_PREFIX);
  out.set(seed, PKCS8_PREFIX.length);
  return out;
}

export interface ImportedKey {
  privateKey: CryptoKey; // non-extractable
  keyId: string;
  publicKey: string; // hex
}

// The seed is imported twice: once extractable, in memory only, to read the public key from
// its JWK ('x') and compute the key id, then discarded; once non-extractable, the key kept.
export async function importSeed(seed: Uint8Array<ArrayBuffer>): Promise<ImportedKey> {
  const transient = await crypto.subtle.importKey('pkcs8', pkcs8(seed), { name: 'Ed25519' }, true, ['sign']);
  const jwk = await crypto.subtle.exportKey('jwk', transient);
  const publicKey = base64UrlDecode(jwk.x ?? '');
  if (publicKey.length !== 32) throw new KeyFileError('no public key');
  const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8(seed), { name: 'Ed25519' }, false, ['sign']);
  return { privateKey, keyId: await keyIdOf(publicKey), publicKey: toHex(publicKey) };
}

export async function signContent(privateKey: CryptoKey, content: SignedContent): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, privateKey, canonicalEncoding(content))));
}

function base64UrlDecode(s: string): Uint8Array<ArrayBuffer> {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function toHex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
