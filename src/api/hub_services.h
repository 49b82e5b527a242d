// What the request handlers work with: the hub's store, clock, keys and shared state. Built
// once by `ncbnet serve` (apps/ncbnet/serve.cc); borrowed, never owned, by the API layer.
#pragma once

#include <functional>

#include "access/login_throttle.h"
#include "api/metrics.h"
#include "api/wakeups.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/rate_limiter.h"
#include "crypto/sign.h"
#include "crypto/x509.h"
#include "messaging/message_service.h"
#include "records/record_indexes.h"
#include "store/store.h"

namespace ncbnet::api {

struct ServerStats;
class ConsoleFiles;

struct HubServices {
  store::Store& store;
  const Clock& clock;
  const crypto::SigningKey& audit_key;  // signs the audit chain's head
  access::LoginThrottle& throttle;
  const HubConfig& config;
  Metrics& metrics;
  const messaging::DataKey& data_key;  // encrypts messages at rest (<data-dir>/data.key)
  Wakeups& wakeups;                    // long polls and feeds wait on it; handlers notify it
  // Transport figures for /metrics; may be empty.
  std::function<ServerStats()> server_stats;
  // The records' in-memory indexes for checks (records/record_indexes.h); null when the hub
  // serves no databases (some tests), and then the record and check endpoints answer 503.
  records::RecordIndexes* record_indexes = nullptr;
  const records::IndexSecret* index_secret = nullptr;
  // Signs the hub's own messages (messaging/hub_messages.h: hit notifications, follow-ups,
  // review reminders); <data-dir>/hub-messaging.key, registered as a key of gs. Null when the
  // hub sends none (some tests): then the hit endpoints answer 503 (HubMessageKeyOf).
  const crypto::SigningKey* hub_message_key = nullptr;
  // The network CA (<data-dir>/ca.crt, ca.key): signs agencies' CSRs (POST
  // /v1/agencies/{id}/certificates). Null when the hub issues none (some tests): then that
  // endpoint answers 503 ca_unavailable.
  const crypto::KeyAndCert* ca = nullptr;
  // Limits each source address on the public endpoints (public_notice_handlers.cc). Null when
  // the hub serves none (some tests): then they answer 503 public_unavailable.
  RateLimiter* public_limiter = nullptr;
  // The web console's files (console_files.h), answered for GETs outside /v1/ that no route
  // takes. Null: such paths are a JSON 404 (tests).
  const ConsoleFiles* console = nullptr;
};

}  // namespace ncbnet::api
