// The API's shapes that the console reads (docs/openapi.yaml, components/schemas).

export interface Me {
  user: { id: string; name: string } | null;
  agency: { id: string; kind: 'gs' | 'ncb' | 'agency' | 'terminal'; country: string | null; name: string };
  via: 'session' | 'certificate';
  capabilities: string[];
  // When the session ends (hubs that report it; null for a client certificate).
  session?: { expires_at: string; idle_timeout_seconds: number; idle_expires_at: string } | null;
}

export interface Session {
  token: string;
  expires_at: string;
  user: { id: string; name: string; display_name?: string; agency_id: string };
}

export type Priority = 'routine' | 'urgent' | 'flash';
export type Classification =
  | 'unclassified'
  | 'interpol_fouo'
  | 'interpol_restricted'
  | 'interpol_confidential';

export interface MessageHeader {
  id: string;
  sender_agency: string;
  subject: string;
  classification: Classification;
  priority: Priority;
  accepted_at: string;
  thread_id: string;
  reply_to: string;
}

export interface ListedMessage extends MessageHeader {
  recipients: string[];
  recipient_count: number;
  state: 'queued' | 'delivered' | 'read' | null;
}

export interface MessagePage {
  messages: ListedMessage[];
  next_before: string | null;
}

export interface MailboxEvent {
  cursor: number;
  kind: 'message' | 'receipt';
  message_id: string;
  message?: MessageHeader | null;
  damaged?: string;
  receipt?: { agency_id: string; state: 'delivered' | 'read'; at: string };
}

export interface MailboxPage {
  events: MailboxEvent[];
  next_cursor: number;
}

export interface AttachmentRef {
  sha256: string;
  size: number;
  name: string;
  media_type: string;
}

// What the sender signs (docs/message-format.md, "Signed content").
export interface SignedContent {
  sender_agency: string;
  sender_user?: string;
  idempotency_key: string;
  created_ms: number;
  to: { agencies?: string[]; countries?: string[]; all_ncbs?: boolean; groups?: string[] };
  subject: string;
  body: string;
  classification: Classification;
  priority: Priority;
  language: string;
  handling?: string;
  thread_id?: string;
  reply_to?: string;
  links?: string[];
  attachments?: AttachmentRef[];
}

export interface Message {
  id: string;
  accepted_at: string;
  recipients: string[];
  key_id: string;
  signature: string;
  content: SignedContent;
}

export interface AgencyKey {
  key_id: string;
  agency_id: string;
  public_key: string;
  created_at: string;
  revoked_at: string | null;
}

export interface Receipt {
  agency_id: string;
  state: 'queued' | 'delivered' | 'read';
  queued_at: string;
  delivered_at: string | null;
  read_at: string | null;
}
