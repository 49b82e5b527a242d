// The canonical encoding of a message's signed content (docs/message-format.md): versions 1,
// 2 and 3, byte for byte as the hub, the CLI and the integration tests write it; checked
// against tests/vectors/message-signing.json.
import type { SignedContent } from '../api/types';

const utf8 = new TextEncoder();

export function messageVersion(c: SignedContent): 1 | 2 | 3 {
  if (c.sender_user) return 3;
  return (c.to.groups?.length ?? 0) > 0 || (c.attachments?.length ?? 0) > 0 ? 2 : 1;
}

export function canonicalEncoding(c: SignedContent): Uint8Array<ArrayBuffer> {
  const parts: Uint8Array[] = [];
  const line = (text: string) => parts.push(utf8.encode(`${text}\n`));
  const scalar = (value: string) => {
    const bytes = utf8.encode(value);
    parts.push(utf8.encode(`${bytes.length}:`), bytes, utf8.encode('\n'));
  };
  const list = (items: readonly string[]) => {
    line(String(items.length));
    items.forEach(scalar);
  };
  const version = messageVersion(c);
  line(`ncbnet-message-v${version}`);
  scalar(c.sender_agency);
  if (version === 3) scalar(c.sender_user ?? '');
  scalar(c.idempotency_key);
  scalar(String(c.created_ms));
  list(c.to.agencies ?? []);
  list(c.to.countries ?? []);
  scalar(c.to.all_ncbs ? '1' : '0');
  if (version >= 2) list(c.to.groups ?? []);
  for (const v of [c.subject, c.body, c.classification, c.handling ?? '', c.priority, c.language, c.thread_id ?? '', c.reply_to ?? '']) scalar(v);
  list(c.links ?? []);
  if (version >= 2) {
    const attachments = c.attachments ?? [];
    line(String(attachments.length));
    for (const a of attachments) [a.sha256, String(a.size), a.name, a.media_type].forEach(scalar);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
