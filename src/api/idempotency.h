// Idempotency-Key on every write (docs/openapi.yaml, "Retries"): a client that lost an answer
// sends the same request again with the same key, and the change is done once. The key is
// reserved in the very transaction of the change (RequestContext::Write), so a change is
// committed with its key or not at all, and the answer is stored beside it once sent out. A
// retry with the key then gets that answer again (header Idempotent-Replayed: true) and does
// nothing; with another request under the same key, 400 idempotency_key_reused; if the change
// was committed but its answer never stored (the hub stopped in between), 409
// idempotency_in_doubt, telling the client to read the result instead of redoing it. Keys are
// per principal (agency and user, or certificate) and kept kKeepMs.
//
// Thread safety: free functions over the store, which serialises writes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "api/http_types.h"
#include "core/status.h"
#include "store/store.h"

namespace ncbnet::api {

struct RequestContext;

struct IdempotentRequest {
  std::string principal;     // agency id and user id or certificate serial
  std::string key;           // the header's value: 1 to 128 of [A-Za-z0-9._:-]
  std::string request_hash;  // SHA-256 hex of method, path, query and body
};

inline constexpr std::int64_t kIdempotencyKeepMs = 7LL * 24 * 3600 * 1000;  // a week of retries

// The request's Idempotency-Key, if it carries one and is a write (POST, PUT, DELETE) of an
// authenticated principal. Error: kInvalidArgument "invalid_idempotency_key".
Result<std::optional<IdempotentRequest>> IdempotencyOf(const RequestContext& ctx);

// The answer to give instead of running the request again, if its key was used before.
// Errors: kInvalidArgument "idempotency_key_reused" (400) for another request under the key;
// kFailedPrecondition "idempotency_in_doubt" (409) for a change committed without its answer; the
// store's errors.
Result<std::optional<HttpResponse>> EarlierAnswer(store::Transaction& tx,
                                                  const IdempotentRequest& request);

// Reserves the key inside the transaction of the change. Errors: kFailedPrecondition
// "idempotency_in_doubt" if it is taken (a concurrent request with the same key); the store's.
Status ReserveKey(store::Transaction& tx, const IdempotentRequest& request, std::int64_t now_ms);

// Stores the answer beside the reserved key (2xx answers with a plain body only).
Status StoreAnswer(store::Store& store, const IdempotentRequest& request,
                   const HttpResponse& response);

// Deletes keys older than `before_ms`, at most `limit`; returns how many.
Result<int> PurgeIdempotencyKeys(store::Transaction& tx, std::int64_t before_ms, int limit);

}  // namespace ncbnet::api
