#include "api/idempotency.h"

#include "api/request_context.h"
#include "api/router.h"
#include "crypto/hash.h"

namespace ncbnet::api {
namespace {

// Answers larger than this are not kept: a retry of such a request is told it is in doubt.
constexpr std::size_t kMaxStoredAnswerBytes = std::size_t{4} << 20;

bool IsWrite(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "DELETE";
}

std::string PrincipalOf(const access::Principal& p) {
  return p.agency_id + "/" + (p.user_id.empty() ? "cert:" + p.certificate_serial : p.user_id);
}

Status InDoubt() {
  return Status::FailedPrecondition(
      "idempotency_in_doubt",
      "a request with this Idempotency-Key was committed (or is running) but its answer was "
      "not kept: read the result instead of sending it again");
}

}  // namespace

Result<std::optional<IdempotentRequest>> IdempotencyOf(const RequestContext& ctx) {
  const std::string& key = ctx.http.Header("idempotency-key");
  if (key.empty() || !ctx.principal || !IsWrite(ctx.http.method)) {
    return std::optional<IdempotentRequest>();
  }
  if (!IsParamValue(key)) {
    return Status::InvalidArgument("invalid_idempotency_key",
                                   "Idempotency-Key must be 1 to 128 of [A-Za-z0-9._:-]");
  }
  IdempotentRequest r;
  r.principal = PrincipalOf(*ctx.principal);
  r.key = key;
  r.request_hash = crypto::Sha256Hex(ctx.http.method + "\n" + ctx.http.path + "\n" +
                                     ctx.http.query + "\n" + ctx.http.body);
  return std::optional<IdempotentRequest>(std::move(r));
}

Result<std::optional<HttpResponse>> EarlierAnswer(store::Transaction& tx,
                                                  const IdempotentRequest& request) {
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("SELECT request_hash, status, content_type, body FROM idempotency_keys"
                  " WHERE principal = ? AND key = ?",
                  {request.principal, request.key}));
  if (!row) return std::optional<HttpResponse>();
  if ((*row)[0].AsText() != request.request_hash) {
    return Status::InvalidArgument("idempotency_key_reused",
                                   "this Idempotency-Key was used for another request");
  }
  if ((*row)[1].is_null() || (*row)[3].is_null()) return InDoubt();
  HttpResponse earlier;
  earlier.status = static_cast<int>((*row)[1].AsInt());
  earlier.content_type = (*row)[2].AsText();
  earlier.body = (*row)[3].AsText();
  earlier.headers.emplace_back("Idempotent-Replayed", "true");
  return std::optional<HttpResponse>(std::move(earlier));
}

Status ReserveKey(store::Transaction& tx, const IdempotentRequest& request, std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(
      const std::int64_t inserted,
      tx.Exec("INSERT INTO idempotency_keys (principal, key, request_hash, created_ms)"
              " VALUES (?, ?, ?, ?) ON CONFLICT (principal, key) DO NOTHING",
              {request.principal, request.key, request.request_hash, now_ms}));
  return inserted == 1 ? Status::Ok() : InDoubt();
}

Status StoreAnswer(store::Store& store, const IdempotentRequest& request,
                   const HttpResponse& response) {
  if (response.status < 200 || response.status >= 300 || response.stream || response.feed ||
      response.wait || response.body.size() > kMaxStoredAnswerBytes) {
    return Status::Ok();
  }
  return store.Write([&](store::Transaction& tx) {
    return tx
        .Exec(
            "UPDATE idempotency_keys SET status = ?, content_type = ?, body = ?"
            " WHERE principal = ? AND key = ?",
            {std::int64_t{response.status}, response.content_type, response.body, request.principal,
             request.key})
        .status();
  });
}

Result<int> PurgeIdempotencyKeys(store::Transaction& tx, std::int64_t before_ms, int limit) {
  NCBNET_ASSIGN_OR_RETURN(
      const std::int64_t deleted,
      tx.Exec("DELETE FROM idempotency_keys WHERE (principal, key) IN (SELECT principal, key"
              " FROM idempotency_keys WHERE created_ms < ? LIMIT ?)",
              {before_ms, std::int64_t{limit}}));
  return static_cast<int>(deleted);
}

}  // namespace ncbnet::api
