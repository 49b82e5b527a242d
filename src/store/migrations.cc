#include "store/migrations.h"

#include <string>

#include "core/check.h"

namespace ncbnet::store {

const std::vector<Migration>& AllMigrations() {
  static const std::vector<Migration>* const kMigrations = new std::vector<Migration>{
      {1,
       "identity, agencies, grants, certificates, audit log",
       {
           // Key/value facts about this network: its id, the hub's public signing key...
           "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
           // The agency tree: GS at the root, one NCB per country, then national agencies and
           // terminals under an NCB. kind is one of gs, ncb, agency, terminal.
           "CREATE TABLE agencies ("
           " id TEXT PRIMARY KEY,"
           " parent_id TEXT REFERENCES agencies(id),"
           " kind TEXT NOT NULL,"
           " country TEXT,"
           " name TEXT NOT NULL,"
           " created_ms INTEGER NOT NULL,"
           " disabled_ms INTEGER)",
           "CREATE INDEX agencies_parent ON agencies(parent_id)",
           "CREATE TABLE users ("
           " id TEXT PRIMARY KEY,"
           " agency_id TEXT NOT NULL REFERENCES agencies(id),"
           " name TEXT NOT NULL UNIQUE,"
           " display_name TEXT NOT NULL,"
           " password_hash TEXT NOT NULL,"
           " totp_secret BLOB,"
           " totp_pending_secret BLOB,"
           " totp_last_step INTEGER NOT NULL DEFAULT 0,"
           " created_ms INTEGER NOT NULL,"
           " disabled_ms INTEGER)",
           "CREATE INDEX users_agency ON users(agency_id)",
           // Bearer sessions; only the SHA-256 of the token is kept.
           "CREATE TABLE sessions ("
           " token_hash TEXT PRIMARY KEY,"
           " user_id TEXT NOT NULL REFERENCES users(id),"
           " agency_id TEXT NOT NULL REFERENCES agencies(id),"
           " created_ms INTEGER NOT NULL,"
           " expires_ms INTEGER NOT NULL,"
           " revoked_ms INTEGER)",
           "CREATE INDEX sessions_user ON sessions(user_id)",
           // A grant gives one capability to one agency. parent_id is the grantor's own grant
           // it derives from (NULL only for the GS's root grants); revoking a grant revokes
           // its descendants in the same transaction; expires_ms never exceeds the parent's.
           "CREATE TABLE grants ("
           " id TEXT PRIMARY KEY,"
           " agency_id TEXT NOT NULL REFERENCES agencies(id),"
           " capability TEXT NOT NULL,"
           " parent_id TEXT REFERENCES grants(id),"
           " granted_by_agency TEXT REFERENCES agencies(id),"
           " granted_by_user TEXT,"
           " created_ms INTEGER NOT NULL,"
           " expires_ms INTEGER,"
           " revoked_ms INTEGER)",
           "CREATE INDEX grants_agency ON grants(agency_id)",
           "CREATE INDEX grants_parent ON grants(parent_id)",
           // Client certificates issued by the network CA, by serial (hex).
           "CREATE TABLE certificates ("
           " serial TEXT PRIMARY KEY,"
           " agency_id TEXT NOT NULL REFERENCES agencies(id),"
           " subject TEXT NOT NULL,"
           " not_before_ms INTEGER NOT NULL,"
           " not_after_ms INTEGER NOT NULL,"
           " created_ms INTEGER NOT NULL,"
           " revoked_ms INTEGER,"
           " pem TEXT NOT NULL)",
           "CREATE INDEX certificates_agency ON certificates(agency_id)",
           // The append-only, hash-linked audit log (docs/audit-log-format.md).
           "CREATE TABLE audit_log ("
           " seq INTEGER PRIMARY KEY,"
           " time_ms INTEGER NOT NULL,"
           " request_id TEXT NOT NULL,"
           " user_id TEXT NOT NULL,"
           " agency_id TEXT NOT NULL,"
           " source TEXT NOT NULL,"
           " action TEXT NOT NULL,"
           " object TEXT NOT NULL,"
           " outcome TEXT NOT NULL,"
           " prev_hash TEXT NOT NULL,"
           " hash TEXT NOT NULL)",
           "CREATE INDEX audit_log_agency ON audit_log(agency_id, seq)",
           // The signed head of the audit chain: the last entry's seq and hash, signed with
           // the hub's Ed25519 key, so that removing the newest entries is detected too.
           "CREATE TABLE audit_head ("
           " id INTEGER PRIMARY KEY,"
           " seq INTEGER NOT NULL,"
           " hash TEXT NOT NULL,"
           " signature TEXT NOT NULL)",
       }},
      {2,
       "messaging",
       {
           // Agencies' Ed25519 public keys (docs/message-format.md, "Key directory"). key_id is
           // "ed25519:" + the first 32 hex characters of SHA-256(public_key).
           "CREATE TABLE agency_keys ("
           " key_id TEXT PRIMARY KEY,"
           " agency_id TEXT NOT NULL REFERENCES agencies(id),"
           " public_key BLOB NOT NULL,"
           " created_ms INTEGER NOT NULL,"
           " revoked_ms INTEGER)",
           "CREATE INDEX agency_keys_agency ON agency_keys(agency_id)",
           // Messages as signed by their sender. subject_enc and body_enc are sealed with the
           // hub's data key (XChaCha20-Poly1305, AD = id + "\n" + field name); content_hash is
           // the SHA-256 (hex) of the canonical encoding, checked on every read.
           "CREATE TABLE messages ("
           " id TEXT PRIMARY KEY,"
           " sender_agency TEXT NOT NULL REFERENCES agencies(id),"
           " sender_user TEXT,"
           " idempotency_key TEXT NOT NULL,"
           " content_hash TEXT NOT NULL,"
           " created_ms INTEGER NOT NULL,"
           " accepted_ms INTEGER NOT NULL,"
           " classification TEXT NOT NULL,"
           " priority TEXT NOT NULL,"
           " language TEXT NOT NULL,"
           " handling TEXT NOT NULL,"
           " thread_id TEXT NOT NULL,"
           " reply_to TEXT NOT NULL,"
           " addressing_json TEXT NOT NULL,"
           " links_json TEXT NOT NULL,"
           " subject_enc BLOB NOT NULL,"
           " body_enc BLOB NOT NULL,"
           " key_id TEXT NOT NULL,"
           " signature BLOB NOT NULL,"
           " UNIQUE (sender_agency, idempotency_key))",
           // Per-recipient receipt state: queued, delivered, read.
           "CREATE TABLE message_recipients ("
           " message_id TEXT NOT NULL REFERENCES messages(id),"
           " agency_id TEXT NOT NULL REFERENCES agencies(id),"
           " state TEXT NOT NULL,"
           " queued_ms INTEGER NOT NULL,"
           " delivered_ms INTEGER,"
           " read_ms INTEGER,"
           " PRIMARY KEY (message_id, agency_id))",
           "CREATE INDEX message_recipients_agency ON message_recipients(agency_id)",
           // Each agency's mailbox: an append-only sequence of events. cursor is assigned as
           // max + 1 inside the write transaction, so it increases strictly across the hub.
           // kind is message or receipt; receipt_* are set for receipts only.
           "CREATE TABLE mailbox_events ("
           " cursor INTEGER PRIMARY KEY,"
           " agency_id TEXT NOT NULL REFERENCES agencies(id),"
           " kind TEXT NOT NULL,"
           " message_id TEXT NOT NULL REFERENCES messages(id),"
           " receipt_agency TEXT,"
           " receipt_state TEXT,"
           " at_ms INTEGER NOT NULL)",
           "CREATE INDEX mailbox_events_agency ON mailbox_events(agency_id, cursor)",
       }},
      {3,
       "mailbox search and message retention",
       {
           // The blind search index (docs/message-format.md, "Search index"): for each distinct
           // token of a message's subject and body, HMAC-SHA-256 under a key derived from the
           // data key, first 16 bytes as hex. No plaintext token is stored.
           "CREATE TABLE message_terms ("
           " message_id TEXT NOT NULL REFERENCES messages(id),"
           " term TEXT NOT NULL,"
           " PRIMARY KEY (message_id, term))",
           "CREATE INDEX message_terms_term ON message_terms(term)",
           // When the hub purges the message (messaging/retention.h). Messages stored before
           // this migration keep the default of five years (1826 days) after acceptance.
           "ALTER TABLE messages ADD COLUMN retention_until_ms INTEGER",
           "UPDATE messages SET retention_until_ms = accepted_ms + 157766400000",
           "CREATE INDEX messages_retention ON messages(retention_until_ms)",
           "CREATE INDEX messages_sender ON messages(sender_agency, accepted_ms)",
       }},
      {4,
       "country groups",
       {
           // Named groups of countries defined by the GS (messaging/country_groups.h); a
           // message's to.groups resolves to the NCBs of the members at send time.
           "CREATE TABLE country_groups ("
           " name TEXT PRIMARY KEY,"
           " description TEXT NOT NULL,"
           " created_ms INTEGER NOT NULL,"
           " updated_ms INTEGER NOT NULL)",
           "CREATE TABLE country_group_members ("
           " name TEXT NOT NULL REFERENCES country_groups(name),"
           " country TEXT NOT NULL,"
           " PRIMARY KEY (name, country))",
       }},
      {5,
       "attachments",
       {
           // Uploads in progress (messaging/attachments.h): declared size and SHA-256, bytes
           // committed so far; deleted when completed, or by retention after expires_ms.
           "CREATE TABLE attachment_uploads ("
           " id TEXT PRIMARY KEY,"
           " agency_id TEXT NOT NULL REFERENCES agencies(id),"
           " sha256 TEXT NOT NULL,"
           " size INTEGER NOT NULL,"
           " received INTEGER NOT NULL,"
           " created_ms INTEGER NOT NULL,"
           " expires_ms INTEGER NOT NULL)",
           "CREATE INDEX attachment_uploads_agency ON attachment_uploads(agency_id, expires_ms)",
           "CREATE INDEX attachment_uploads_sha256 ON attachment_uploads(sha256)",
           // Chunks of kChunkBytes (the last may be shorter), sealed with the attachment key;
           // AD = "upload\n" + upload id + "\n" + idx (docs/message-format.md, "Attachments").
           "CREATE TABLE attachment_upload_chunks ("
           " upload_id TEXT NOT NULL REFERENCES attachment_uploads(id),"
           " idx INTEGER NOT NULL,"
           " length INTEGER NOT NULL,"
           " data BLOB NOT NULL,"
           " PRIMARY KEY (upload_id, idx))",
           // Completed files, once per SHA-256. completed_ms: the last completed upload of it.
           "CREATE TABLE attachment_blobs ("
           " sha256 TEXT PRIMARY KEY,"
           " size INTEGER NOT NULL,"
           " chunk_count INTEGER NOT NULL,"
           " created_ms INTEGER NOT NULL,"
           " completed_ms INTEGER NOT NULL)",
           // AD = "blob\n" + sha256 + "\n" + idx.
           "CREATE TABLE attachment_blob_chunks ("
           " sha256 TEXT NOT NULL REFERENCES attachment_blobs(sha256),"
           " idx INTEGER NOT NULL,"
           " length INTEGER NOT NULL,"
           " data BLOB NOT NULL,"
           " PRIMARY KEY (sha256, idx))",
           // Who uploaded what: only these agencies may reference the blob in a message.
           "CREATE TABLE attachment_possession ("
           " agency_id TEXT NOT NULL REFERENCES agencies(id),"
           " sha256 TEXT NOT NULL REFERENCES attachment_blobs(sha256),"
           " created_ms INTEGER NOT NULL,"
           " PRIMARY KEY (agency_id, sha256))",
           // A message's attachments, as signed (the canonical encoding covers them).
           "CREATE TABLE message_attachments ("
           " message_id TEXT NOT NULL REFERENCES messages(id),"
           " idx INTEGER NOT NULL,"
           " sha256 TEXT NOT NULL,"
           " size INTEGER NOT NULL,"
           " name TEXT NOT NULL,"
           " media_type TEXT NOT NULL,"
           " PRIMARY KEY (message_id, idx))",
           "CREATE INDEX message_attachments_sha256 ON message_attachments(sha256)",
       }},
      {6,
       "records of the shared databases",
       {
           // The current version of each record (records/records.h). ref is the indexes'
           // integer handle; fields is the canonical JSON of the schema's fields; keys is the
           // concatenation of the 16-byte identifier-index keys of this version.
           "CREATE TABLE records ("
           " ref INTEGER PRIMARY KEY,"
           " id TEXT NOT NULL UNIQUE,"
           " database TEXT NOT NULL,"
           " owner_agency TEXT NOT NULL REFERENCES agencies(id),"
           " owner_country TEXT NOT NULL,"
           " external_id TEXT,"
           " version INTEGER NOT NULL,"
           " status TEXT NOT NULL,"
           " visibility TEXT NOT NULL,"
           " countries TEXT NOT NULL,"
           " frontline INTEGER NOT NULL,"
           " action TEXT NOT NULL,"
           " fields TEXT NOT NULL,"
           " keys BLOB NOT NULL,"
           " created_ms INTEGER NOT NULL,"
           " updated_ms INTEGER NOT NULL,"
           " review_ms INTEGER NOT NULL,"
           " reminded_ms INTEGER,"
           " changed_by_agency TEXT NOT NULL,"
           " changed_by_user TEXT NOT NULL,"
           " cancel_reason TEXT NOT NULL)",
           "CREATE UNIQUE INDEX records_external ON records(database, owner_country, external_id)",
           "CREATE INDEX records_owner ON records(owner_country, database, ref)",
           "CREATE INDEX records_database ON records(database, ref)",
           "CREATE INDEX records_review ON records(status, review_ms)",
           // Superseded versions, as they were (same columns but keys).
           "CREATE TABLE record_history ("
           " ref INTEGER NOT NULL REFERENCES records(ref),"
           " version INTEGER NOT NULL,"
           " status TEXT NOT NULL,"
           " visibility TEXT NOT NULL,"
           " countries TEXT NOT NULL,"
           " frontline INTEGER NOT NULL,"
           " action TEXT NOT NULL,"
           " fields TEXT NOT NULL,"
           " updated_ms INTEGER NOT NULL,"
           " review_ms INTEGER NOT NULL,"
           " changed_by_agency TEXT NOT NULL,"
           " changed_by_user TEXT NOT NULL,"
           " cancel_reason TEXT NOT NULL,"
           " PRIMARY KEY (ref, version))",
           // The change feed the in-memory indexes follow: one row per change of a record,
           // with the keys of the version it replaced (empty for a new record).
           "CREATE TABLE record_changes ("
           " seq INTEGER PRIMARY KEY,"
           " ref INTEGER NOT NULL,"
           " old_keys BLOB NOT NULL)",
       }},
      {7,
       "hits and their follow-ups; the hub's own messages",
       {
           // Messages sent by the hub itself (messaging/hub_messages.h): read only by their
           // recipients, not by their nominal sender, the GS.
           "ALTER TABLE messages ADD COLUMN hub INTEGER NOT NULL DEFAULT 0",
           // One row per match of a check (hits/hits.h). The record is named by ref, id and the
           // version matched; checker_country is empty for the GS; terminal is 0 or 1.
           // match_kind is identifier or name; identifier is the schema's identifier name
           // (empty for a name), value the normalised identifier or the name searched.
           // context is the JSON of the check's context. *_state is open, confirmed,
           // not_same_person, action_taken or closed: each side's latest follow-up.
           "CREATE TABLE hits ("
           " id TEXT PRIMARY KEY,"
           " record_ref INTEGER NOT NULL,"
           " record_id TEXT NOT NULL,"
           " record_version INTEGER NOT NULL,"
           " database TEXT NOT NULL,"
           " owner_country TEXT NOT NULL,"
           " owner_agency TEXT NOT NULL,"
           " checker_agency TEXT NOT NULL REFERENCES agencies(id),"
           " checker_ncb TEXT NOT NULL,"
           " checker_user TEXT NOT NULL,"
           " checker_user_name TEXT NOT NULL,"
           " checker_country TEXT NOT NULL,"
           " terminal INTEGER NOT NULL,"
           " checked_ms INTEGER NOT NULL,"
           " match_kind TEXT NOT NULL,"
           " identifier TEXT NOT NULL,"
           " value TEXT NOT NULL,"
           " score REAL NOT NULL,"
           " explanation TEXT NOT NULL,"
           " context TEXT NOT NULL,"
           " checker_state TEXT NOT NULL,"
           " checker_state_ms INTEGER,"
           " owner_state TEXT NOT NULL,"
           " owner_state_ms INTEGER,"
           " notification_id TEXT NOT NULL)",
           "CREATE INDEX hits_owner ON hits(owner_agency, checked_ms)",
           "CREATE INDEX hits_checker ON hits(checker_agency, checked_ms)",
           "CREATE INDEX hits_checker_ncb ON hits(checker_ncb, checked_ms)",
           "CREATE INDEX hits_record ON hits(record_id)",
           // Each side's follow-ups of a hit, numbered from 1 per hit. side is checker or
           // owner; state as above but never open.
           "CREATE TABLE hit_follow_ups ("
           " hit_id TEXT NOT NULL REFERENCES hits(id),"
           " seq INTEGER NOT NULL,"
           " side TEXT NOT NULL,"
           " state TEXT NOT NULL,"
           " agency_id TEXT NOT NULL,"
           " user_id TEXT NOT NULL,"
           " note TEXT NOT NULL,"
           " created_ms INTEGER NOT NULL,"
           " PRIMARY KEY (hit_id, seq))",
       }},
      {8,
       "offline replicas of the check databases",
       {
           // One row per replica a terminal (or agency) enrolled (replica/enrolments.h);
           // last_seq is the change-feed position of its last sync.
           "CREATE TABLE replicas ("
           " id TEXT PRIMARY KEY,"
           " agency_id TEXT NOT NULL REFERENCES agencies(id),"
           " created_ms INTEGER NOT NULL,"
           " revoked_ms INTEGER,"
           " last_seq INTEGER NOT NULL,"
           " last_sync_ms INTEGER)",
           "CREATE INDEX replicas_agency ON replicas(agency_id)",
           // Offline checks uploaded by a replica, by the id the replica gave each: a retried
           // upload finds them here and records nothing twice. kind is hit or check; hit_id is
           // the hit recorded for a hit, empty for a check.
           "CREATE TABLE replica_uploads ("
           " replica_id TEXT NOT NULL REFERENCES replicas(id),"
           " item_id TEXT NOT NULL,"
           " kind TEXT NOT NULL,"
           " hit_id TEXT NOT NULL,"
           " received_ms INTEGER NOT NULL,"
           " PRIMARY KEY (replica_id, item_id))",
       }},
      {9,
       "notices and diffusions",
       {
           // Notice requests and diffusions (notices/notices.h, docs/notices.md). channel is
           // notice or diffusion; kind one of the kinds of notices/kinds.h (red, yellow...).
           // state: draft, under_review, info_requested, published, rejected, suspended,
           // cancelled, withdrawn, expired (notices); draft, circulated, withdrawn, cancelled
           // (diffusions). control_number is given at publication or circulation. fields is the
           // kind's fields as JSON, sealed at rest (AEAD under the data key). recipients is
           // "*" (all NCBs) or the recipient countries of a diffusion, comma-separated.
           // pending_action is an update or extension of a published notice awaiting review
           // (update, extend; empty if none) and pending_fields its sealed proposed fields.
           // record_id is the NOTICES record that makes the subject matchable (empty if the
           // kind has no person subject or it is not published).
           "CREATE TABLE notices ("
           " id TEXT PRIMARY KEY,"
           " channel TEXT NOT NULL,"
           " kind TEXT NOT NULL,"
           " control_number TEXT UNIQUE,"
           " requesting_agency TEXT NOT NULL REFERENCES agencies(id),"
           " requesting_country TEXT NOT NULL,"
           " state TEXT NOT NULL,"
           " version INTEGER NOT NULL,"
           " fields BLOB NOT NULL,"
           " public_consent INTEGER NOT NULL,"
           " recipients TEXT NOT NULL,"
           " pending_action TEXT NOT NULL,"
           " pending_fields BLOB,"
           " findings TEXT NOT NULL,"
           " record_id TEXT NOT NULL,"
           " created_ms INTEGER NOT NULL,"
           " updated_ms INTEGER NOT NULL,"
           " published_ms INTEGER,"
           " expires_ms INTEGER,"
           " reviewed_ms INTEGER)",
           "CREATE INDEX notices_requester ON notices(requesting_country, updated_ms)",
           "CREATE INDEX notices_state ON notices(state, updated_ms)",
           // Every step of a notice's life, numbered from 1 per notice: the history (action
           // such as create, submit, approve, reject, request_info, publish, update, extend,
           // suspend, cancel, withdraw, expire), who took it and the note (reasons).
           "CREATE TABLE notice_events ("
           " notice_id TEXT NOT NULL REFERENCES notices(id),"
           " seq INTEGER NOT NULL,"
           " action TEXT NOT NULL,"
           " state TEXT NOT NULL,"
           " agency_id TEXT NOT NULL,"
           " user_id TEXT NOT NULL,"
           " note TEXT NOT NULL,"
           " created_ms INTEGER NOT NULL,"
           " PRIMARY KEY (notice_id, seq))",
           // Photographs and images of a notice, numbered from 1, sealed at rest.
           "CREATE TABLE notice_images ("
           " notice_id TEXT NOT NULL REFERENCES notices(id),"
           " seq INTEGER NOT NULL,"
           " media_type TEXT NOT NULL,"
           " sha256 TEXT NOT NULL,"
           " size INTEGER NOT NULL,"
           " sealed BLOB NOT NULL,"
           " PRIMARY KEY (notice_id, seq))",
           // The public extract of a published notice whose requesting country consented (a
           // UN Special Notice always): only its public fields (public_json), written at
           // publication and deleted when the notice stops being published. names holds the
           // folded Latin tokens of its names, space-separated, for the public search.
           "CREATE TABLE public_notices ("
           " notice_id TEXT PRIMARY KEY REFERENCES notices(id),"
           " control_number TEXT NOT NULL UNIQUE,"
           " kind TEXT NOT NULL,"
           " requesting_country TEXT NOT NULL,"
           " names TEXT NOT NULL,"
           " nationalities TEXT NOT NULL,"
           " birth_year INTEGER,"
           " sex TEXT NOT NULL,"
           " public_json TEXT NOT NULL,"
           " published_ms INTEGER NOT NULL)",
           // Its public images, in the clear (they are public), numbered as in notice_images.
           "CREATE TABLE public_notice_images ("
           " notice_id TEXT NOT NULL REFERENCES public_notices(notice_id),"
           " seq INTEGER NOT NULL,"
           " media_type TEXT NOT NULL,"
           " bytes BLOB NOT NULL,"
           " PRIMARY KEY (notice_id, seq))",
       }},
      {10,
       "mutual legal assistance and extradition requests",
       {
           // Requests from one country's central authority to another's (mla/mla.h,
           // docs/mla.md). type is mla or extradition; state sent, received, in_progress,
           // executed, refused or withdrawn. requesting_agency is the NCB or national agency
           // that sent it; requested_country's NCB receives it, and may assign it to one of its
           // own agencies (assigned_agency, empty if none). content is the request's text as
           // JSON (references, legal basis, summary, facts, measures, persons, attachments),
           // sealed at rest (AEAD under a subkey of the data key, the id as associated data).
           // message_id is the hub message that carried it to the parties, with its
           // attachments (the blobs are kept while that message is). due_reminded_ms and
           // overdue_reminded_ms: when the requested side was reminded of the deadline.
           "CREATE TABLE mla_requests ("
           " id TEXT PRIMARY KEY,"
           " type TEXT NOT NULL,"
           " requesting_agency TEXT NOT NULL REFERENCES agencies(id),"
           " requesting_country TEXT NOT NULL,"
           " requested_country TEXT NOT NULL,"
           " assigned_agency TEXT NOT NULL,"
           " state TEXT NOT NULL,"
           " urgency TEXT NOT NULL,"
           " content BLOB NOT NULL,"
           " message_id TEXT NOT NULL,"
           " deadline_ms INTEGER NOT NULL,"
           " created_ms INTEGER NOT NULL,"
           " updated_ms INTEGER NOT NULL,"
           " due_reminded_ms INTEGER,"
           " overdue_reminded_ms INTEGER)",
           "CREATE INDEX mla_requests_requesting ON mla_requests(requesting_country, created_ms)",
           "CREATE INDEX mla_requests_requested ON mla_requests(requested_country, created_ms)",
           "CREATE INDEX mla_requests_deadline ON mla_requests(state, deadline_ms)",
           // Every state change of a request, numbered from 1: the new state, who moved it, the
           // agency it was assigned to (in_progress), and the sealed note and attachments
           // (JSON), and the hub message that told the parties.
           "CREATE TABLE mla_events ("
           " request_id TEXT NOT NULL REFERENCES mla_requests(id),"
           " seq INTEGER NOT NULL,"
           " state TEXT NOT NULL,"
           " agency_id TEXT NOT NULL,"
           " user_id TEXT NOT NULL,"
           " assigned_agency TEXT NOT NULL,"
           " sealed BLOB NOT NULL,"
           " message_id TEXT NOT NULL,"
           " created_ms INTEGER NOT NULL,"
           " PRIMARY KEY (request_id, seq))",
       }},
      {11,
       "drop the message_terms index no query reads",
       {
           // Mailbox search (messaging/mailbox_search.cc) looks a message's terms up by
           // (message_id, term), the primary key, and retention deletes by message_id: no
           // query reads this index, and every message paid for it once per term.
           "DROP INDEX message_terms_term",
       }},
      {12,
       "notice.read: reading notices becomes a capability, granted to every NCB",
       {
           // Until now any authenticated agency read live notices. The capability is added to
           // the GS's root grants and granted by the GS to each NCB, as a new network's
           // CreateNetwork does (access/network.cc); NCBs delegate it further themselves. A
           // store with no network yet gets nothing here.
           "INSERT INTO grants (id, agency_id, capability, parent_id, granted_by_agency,"
           " granted_by_user, created_ms)"
           " SELECT 'grt_' || lower(hex(randomblob(16))), id, 'notice.read', NULL, NULL, NULL,"
           " created_ms FROM agencies WHERE id = 'gs'",
           "INSERT INTO grants (id, agency_id, capability, parent_id, granted_by_agency,"
           " granted_by_user, created_ms)"
           " SELECT 'grt_' || lower(hex(randomblob(16))), a.id, 'notice.read',"
           " (SELECT g.id FROM grants g WHERE g.agency_id = 'gs' AND g.capability = 'notice.read'"
           " AND g.parent_id IS NULL), 'gs', NULL, a.created_ms"
           " FROM agencies a WHERE a.kind = 'ncb'",
       }},
      {13,
       "a MAC on every stored record version; superseded versions keep their keys",
       {
           // records/internal/version_mac.h: HMAC-SHA-256 under a subkey of the data key over
           // the version's columns. '' until the hub seals the rows written before this
           // migration, once (records::SealUnsealedVersions); after that, '' is tampering.
           "ALTER TABLE records ADD COLUMN mac TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE record_history ADD COLUMN keys BLOB NOT NULL DEFAULT x''",
           "ALTER TABLE record_history ADD COLUMN mac TEXT NOT NULL DEFAULT ''",
       }},
      {14,
       "Idempotency-Key on every write",
       {
           // api/idempotency.h: one row per (principal, key), inserted in the transaction of
           // the change; status, content_type and body are the answer, once sent (NULL
           // before). Purged after a week.
           "CREATE TABLE idempotency_keys ("
           " principal TEXT NOT NULL,"
           " key TEXT NOT NULL,"
           " request_hash TEXT NOT NULL,"
           " created_ms INTEGER NOT NULL,"
           " status INTEGER,"
           " content_type TEXT,"
           " body TEXT,"
           " PRIMARY KEY (principal, key))",
           "CREATE INDEX idempotency_keys_created ON idempotency_keys(created_ms)",
       }},
      {15,
       "sessions end after an idle time",
       {
           // access/sessions.h: when the session was last used by its user (0: never since
           // this migration; its creation counts).
           "ALTER TABLE sessions ADD COLUMN last_used_ms INTEGER NOT NULL DEFAULT 0",
       }},
      {16,
       "a message may name the officer who sent it, under the agency's signature",
       {
           // messaging/message.h SignedContent::sender_user: the login name the sender signed
           // (message format v3); '' for v1 and v2 messages. sender_user (the user id of the
           // session that sent it) stays the hub's own record.
           "ALTER TABLE messages ADD COLUMN signed_sender_user TEXT NOT NULL DEFAULT ''",
       }},
      {17,
       "the audit log is a Merkle tree with signed heads (a transparency log)",
       {
           // audit/transparency.h: the roots of the tree's complete subtrees, level 0 being
           // the leaves (entry seq = idx + 1); the heads the sequencer signed; witnesses'
           // cosignatures of them. Filled by the sequencer, from entry 1 on a network that
           // had entries before this migration.
           "CREATE TABLE audit_tree_nodes ("
           " level INTEGER NOT NULL,"
           " idx INTEGER NOT NULL,"
           " hash BLOB NOT NULL,"
           " PRIMARY KEY (level, idx))",
           "CREATE TABLE audit_tree_heads ("
           " tree_size INTEGER PRIMARY KEY,"
           " root_hash TEXT NOT NULL,"
           " time_ms INTEGER NOT NULL,"
           " key_id TEXT NOT NULL,"
           " signature TEXT NOT NULL)",
           // audit/accesses.h: an NCB's access entries, by kind, without reading its others.
           "CREATE INDEX audit_log_access ON audit_log(agency_id, action, seq)",
           "CREATE TABLE audit_cosignatures ("
           " tree_size INTEGER NOT NULL,"
           " witness_key TEXT NOT NULL,"
           " time_ms INTEGER NOT NULL,"
           " signature TEXT NOT NULL,"
           " PRIMARY KEY (tree_size, witness_key))",
       }},
  };
  return *kMigrations;
}

Result<std::int64_t> SchemaVersion(Transaction& tx) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<Row> row,
                          tx.QueryOne("SELECT version FROM schema_version WHERE id = 1"));
  if (!row || row->empty() || !(*row)[0].is_int()) {
    return Status::Internal("store_error", "schema_version row missing");
  }
  return (*row)[0].AsInt();
}

namespace {

Status SchemaTooNew(std::int64_t current, std::int64_t latest) {
  return Status::FailedPrecondition("schema_too_new",
                                    "database schema version " + std::to_string(current) +
                                        " is newer than this binary's " + std::to_string(latest));
}

}  // namespace

Status ApplyMigrations(Store& store) {
  const std::vector<Migration>& migrations = AllMigrations();
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    NCBNET_CHECK(migrations[i].version == static_cast<int>(i + 1),
                 "migrations must be numbered 1, 2, 3... in order");
  }
  const std::int64_t latest = static_cast<std::int64_t>(migrations.size());
  std::int64_t current = 0;
  // A store already at (or past) this binary's version is only read: a node that starts, or
  // refuses a newer schema, writes nothing. A store without the table fails this read.
  const auto look = [&](Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(current, SchemaVersion(tx));
    return Status::Ok();
  };
  if (store.Read(look).ok() && current >= latest) {
    if (current == latest) return Status::Ok();
    return SchemaTooNew(current, latest);
  }
  // Lambdas are named first: NCBNET_RETURN_IF_ERROR inside another one's argument would shadow.
  const auto bootstrap = [&](Transaction& tx) -> Status {
    NCBNET_RETURN_IF_ERROR(
        tx.Exec("CREATE TABLE IF NOT EXISTS schema_version ("
                " id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)")
            .status());
    NCBNET_RETURN_IF_ERROR(tx.Exec("INSERT INTO schema_version (id, version) VALUES (1, 0)"
                                   " ON CONFLICT (id) DO NOTHING")
                               .status());
    NCBNET_ASSIGN_OR_RETURN(current, SchemaVersion(tx));
    return Status::Ok();
  };
  NCBNET_RETURN_IF_ERROR(store.Write(bootstrap));
  if (current > latest) return SchemaTooNew(current, latest);
  for (const Migration& migration : migrations) {
    if (migration.version <= current) continue;
    const auto apply = [&](Transaction& tx) -> Status {
      // Another process may have migrated the store since we looked.
      NCBNET_ASSIGN_OR_RETURN(const std::int64_t now, SchemaVersion(tx));
      if (now >= migration.version) return Status::Ok();
      for (std::string_view sql : migration.statements) {
        NCBNET_RETURN_IF_ERROR(tx.Exec(sql).status());
      }
      return tx.Exec("UPDATE schema_version SET version = ? WHERE id = 1", {migration.version})
          .status();
    };
    NCBNET_RETURN_IF_ERROR(store.Write(apply));
  }
  return Status::Ok();
}

}  // namespace ncbnet::store
