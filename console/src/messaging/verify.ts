// A message's signature verified in the browser (WebCrypto Ed25519) against the network's key
// directory (GET /v1/keys), as `ncbnet msg verify` does offline: the key must be in the
// directory, belong to the sending agency and hash to its key id, and the signature must
// verify over the canonical encoding.
import type { AgencyKey, Message } from '../api/types';
import { canonicalEncoding } from './canonical';

export type SignatureVerdict =
  | { state: 'valid'; key: AgencyKey }
  | { state: 'invalid' }
  | { state: 'unknown_key' }
  | { state: 'wrong_agency'; owner: string }
  | { state: 'unsupported' };

export function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  if (!/^([0-9a-fA-F]{2})*$/.test(hex)) throw new Error('not hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function toHex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function keyIdOf(publicKey: Uint8Array<ArrayBuffer>): Promise<string> {
  return `ed25519:${toHex(await crypto.subtle.digest('SHA-256', publicKey)).slice(0, 32)}`;
}

export async function verifyMessage(message: Message, directory: AgencyKey[]): Promise<SignatureVerdict> {
  const key = directory.find((k) => k.key_id === message.key_id);
  if (!key) return { state: 'unknown_key' };
  if (key.agency_id !== message.content.sender_agency) return { state: 'wrong_agency', owner: key.agency_id };
  let publicKey: Uint8Array<ArrayBuffer>;
  let signature: Uint8Array<ArrayBuffer>;
  try {
    publicKey = fromHex(key.public_key);
    signature = fromHex(message.signature);
  } catch {
    return { state: 'invalid' };
  }
  if (publicKey.length !== 32 || signature.length !== 64) return { state: 'invalid' };
  if ((await keyIdOf(publicKey)) !== key.key_id) return { state: 'unknown_key' };
  let cryptoKey: CryptoKey;
  try {
    cryptoKey = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
  } catch {
    return { state: 'unsupported' };
  }
  const ok = await crypto.subtle.verify({ name: 'Ed25519' }, cryptoKey, signature, canonicalEncoding(message.content));
  return ok ? { state: 'valid', key } : { state: 'invalid' };
}
