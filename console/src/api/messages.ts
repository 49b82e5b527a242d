// Reading the caller's own messages (GET /v1/messages, /v1/messages/{id}, receipts).
import { api } from './client';
import type { ListedMessage, Message, MessagePage, Priority, Receipt } from './types';

export const PRIORITIES: readonly Priority[] = ['flash', 'urgent', 'routine'];

export function listMessages(
  params: { unread?: boolean; before?: string | null; limit?: number },
  signal?: AbortSignal,
): Promise<MessagePage> {
  const q = new URLSearchParams();
  if (params.unread) q.set('unread', 'true');
  if (params.before) q.set('before', params.before);
  q.set('limit', String(params.limit ?? 50));
  return api<MessagePage>('GET', `/v1/messages?${q}`, { signal });
}

// Unread received messages counted by priority, every page of them.
export async function unreadByPriority(signal?: AbortSignal): Promise<Record<Priority, number>> {
  const counts: Record<Priority, number> = { flash: 0, urgent: 0, routine: 0 };
  let before: string | null = null;
  do {
    const page: MessagePage = await listMessages({ unread: true, before, limit: 200 }, signal);
    for (const m of page.messages) counts[m.priority]++;
    before = page.next_before;
  } while (before);
  return counts;
}

export function getMessage(id: string, signal?: AbortSignal): Promise<Message> {
  return api<Message>('GET', `/v1/messages/${encodeURIComponent(id)}`, { signal });
}

export async function getReceipts(id: string, signal?: AbortSignal): Promise<Receipt[]> {
  const r = await api<{ receipts: Receipt[] }>('GET', `/v1/messages/${encodeURIComponent(id)}/receipts`, { signal });
  return r.receipts;
}

export function isSent(m: ListedMessage): boolean {
  return m.state === null;
}
