// The live mailbox: GET /v1/mailbox, first to the end of what is there, then long-polled
// (wait=25) so that a new message or receipt arrives as soon as the hub commits it. fetch, not
// EventSource or a WebSocket, because only fetch sends the Authorization header.
//
// Fetching marks the fetched messages delivered (a receipt to their senders), as any mailbox
// client does: the console is where the agency receives its mail.
import { api, ApiError } from '../api/client';
import type { MailboxEvent, MailboxPage } from '../api/types';

export type FeedStatus = 'connecting' | 'live' | 'reconnecting' | 'stopped';

export interface FeedListener {
  events?: (events: MailboxEvent[]) => void;
  status?: (status: FeedStatus) => void;
}

const PAGE = 500;
const WAIT_SECONDS = 25;
const RETRY_MS = [1000, 2000, 5000, 10000, 30000];

export type Fetcher = (path: string, signal: AbortSignal) => Promise<MailboxPage>;

// No retries inside api(): the feed reconnects by itself and shows it (FeedStatus).
const defaultFetcher: Fetcher = (path, signal) => api<MailboxPage>('GET', path, { signal, retry: false });

export class MailboxFeed {
  private readonly listeners = new Set<FeedListener>();
  private readonly abort = new AbortController();
  private statusValue: FeedStatus = 'connecting';
  private cursor = 0;
  lastEventAt: Date | null = null;

  constructor(
    private readonly fetcher: Fetcher = defaultFetcher,
    private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void> = abortableSleep,
  ) {}

  get status(): FeedStatus {
    return this.statusValue;
  }

  subscribe(listener: FeedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): void {
    this.abort.abort();
    this.setStatus('stopped');
  }

  // Runs until stop() or until the hub refuses the session (401/403: retrying cannot help).
  async run(): Promise<void> {
    const signal = this.abort.signal;
    let failures = 0;
    let caughtUp = false;
    while (!signal.aborted) {
      const wait = caughtUp ? `&wait=${WAIT_SECONDS}` : '';
      try {
        const page = await this.fetcher(`/v1/mailbox?after=${this.cursor}&limit=${PAGE}${wait}`, signal);
        failures = 0;
        this.cursor = page.next_cursor;
        if (page.events.length > 0) this.emit(page.events);
        if (!caughtUp && page.events.length < PAGE) caughtUp = true;
        if (caughtUp) this.setStatus('live');
      } catch (e) {
        if (signal.aborted) break;
        if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
          this.setStatus('stopped');
          return;
        }
        this.setStatus('reconnecting');
        await this.sleep(RETRY_MS[Math.min(failures, RETRY_MS.length - 1)] ?? 30000, signal);
        failures++;
      }
    }
  }

  private emit(events: MailboxEvent[]): void {
    this.lastEventAt = new Date();
    for (const l of this.listeners) l.events?.(events);
  }

  private setStatus(status: FeedStatus): void {
    if (status === this.statusValue) return;
    this.statusValue = status;
    for (const l of this.listeners) l.status?.(status);
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
