// The audit log's transparency endpoints (docs/audit-log-format.md, "Proofs endpoints"): signed
// tree heads, an entry's inclusion proof, consistency proofs, witnesses' cosignatures. Every
// answer costs a bounded number of reads whatever is asked: sizes must be those of signed
// heads, and a proof reads O(log n) stored nodes. An entry's proof is served only to whoever
// may read the entry (as GET /v1/audit); to anyone else it is the 404 of a missing entry.
#include <charconv>
#include <limits>

#include "access/agencies.h"
#include "access/capabilities.h"
#include "api/errors.h"
#include "api/routes.h"
#include "audit/accesses.h"
#include "audit/proof_bundles.h"
#include "audit/transparency.h"

namespace ncbnet::api {
namespace {

// Sizes and sequence numbers are positive and far below 2^62.
constexpr std::int64_t kMaxPosition = std::int64_t{1} << 62;

Status HeadNotFound(const std::string& what) {
  return Status::NotFound("tree_head_not_found", "no signed tree head " + what);
}

// A size or sequence number in the path. Error: kInvalidArgument "invalid_request" unless an
// integer in 1..2^62.
Result<std::int64_t> PositionParam(const RequestContext& ctx, const char* name) {
  const std::string& text = ctx.params.at(name);
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1 || value > kMaxPosition) {
    return Status::InvalidArgument("invalid_request",
                                   std::string(name) + " must be an integer in 1..2^62");
  }
  return value;
}

Result<audit::TreeHead> HeadOfSize(store::Transaction& tx, std::int64_t size) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<audit::TreeHead> head, audit::TreeHeadOfSize(tx, size));
  if (!head) return HeadNotFound("of size " + std::to_string(size));
  return *head;
}

Result<HttpResponse> LatestHead(RequestContext& ctx) {
  NCBNET_RETURN_IF_ERROR(OnlyQueryParams(ctx, {}));
  std::optional<audit::TreeHead> head;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(head, audit::LatestTreeHead(tx));
    return Status::Ok();
  }));
  if (!head) return HeadNotFound("yet: no entry has been sequenced");
  return JsonResponse(200, audit::TreeHeadToJson(*head));
}

Result<HttpResponse> GetHead(RequestContext& ctx) {
  NCBNET_RETURN_IF_ERROR(OnlyQueryParams(ctx, {}));
  NCBNET_ASSIGN_OR_RETURN(const std::int64_t size, PositionParam(ctx, "size"));
  ctx.audit_object = "tree-head " + std::to_string(size);
  audit::TreeHead head;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(head, HeadOfSize(tx, size));
    return Status::Ok();
  }));
  return JsonResponse(200, audit::TreeHeadToJson(head));
}

// Whether the caller may read the entry: the GS reads all, others their branch's.
Result<bool> MayRead(RequestContext& ctx, store::Transaction& tx, const audit::AuditEntry& e) {
  if (ctx.agency() == access::kGsAgencyId) return true;
  NCBNET_ASSIGN_OR_RETURN(std::vector<access::Agency> branch, access::ListBranch(tx, ctx.agency()));
  for (const access::Agency& a : branch) {
    if (a.id == e.agency_id) return true;
  }
  return false;
}

Result<HttpResponse> EntryProof(RequestContext& ctx) {
  NCBNET_RETURN_IF_ERROR(OnlyQueryParams(ctx, {"tree_size"}));
  const Status missing = Status::NotFound("entry_not_found", "no such audit entry");
  NCBNET_ASSIGN_OR_RETURN(const std::int64_t seq, PositionParam(ctx, "seq"));
  NCBNET_ASSIGN_OR_RETURN(const std::int64_t asked,
                          IntQueryParam(ctx, "tree_size", 0, 1, kMaxPosition));
  ctx.audit_object = "audit-entry " + std::to_string(seq);
  nlohmann::json bundle;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    audit::ListFilter filter{.after_seq = seq - 1, .limit = 1};
    NCBNET_ASSIGN_OR_RETURN(std::vector<audit::AuditEntry> entries, audit::List(tx, filter));
    if (entries.empty() || entries[0].seq != seq) return missing;
    NCBNET_ASSIGN_OR_RETURN(const bool may_read, MayRead(ctx, tx, entries[0]));
    if (!may_read) return missing;
    audit::TreeHead head;
    if (asked == 0) {
      NCBNET_ASSIGN_OR_RETURN(std::optional<audit::TreeHead> latest, audit::LatestTreeHead(tx));
      if (!latest) return HeadNotFound("yet: no entry has been sequenced");
      head = std::move(*latest);
    } else {
      NCBNET_ASSIGN_OR_RETURN(head, HeadOfSize(tx, asked));
    }
    if (head.tree_size < seq) {
      return Status::NotFound("entry_not_sequenced",
                              "the entry is not in that tree head; ask again in a second");
    }
    NCBNET_ASSIGN_OR_RETURN(bundle, audit::InclusionBundle(tx, entries[0], head));
    return Status::Ok();
  }));
  return JsonResponse(200, bundle);
}

Result<HttpResponse> Consistency(RequestContext& ctx) {
  NCBNET_RETURN_IF_ERROR(OnlyQueryParams(ctx, {"first", "second"}));
  NCBNET_ASSIGN_OR_RETURN(const std::int64_t first,
                          IntQueryParam(ctx, "first", -1, 1, kMaxPosition));
  NCBNET_ASSIGN_OR_RETURN(const std::int64_t second,
                          IntQueryParam(ctx, "second", -1, 1, kMaxPosition));
  if (first < 1 || second < 1) {
    return Status::InvalidArgument("invalid_request", "first and second are required");
  }
  if (first > second) {
    return Status::InvalidArgument("invalid_range", "first must not exceed second");
  }
  ctx.audit_object = "consistency " + std::to_string(first) + ".." + std::to_string(second);
  nlohmann::json bundle;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(const audit::TreeHead first_head, HeadOfSize(tx, first));
    NCBNET_ASSIGN_OR_RETURN(const audit::TreeHead second_head, HeadOfSize(tx, second));
    NCBNET_ASSIGN_OR_RETURN(std::vector<std::string> path,
                            audit::ConsistencyPath(tx, first, second));
    bundle = {{"first", first},
              {"second", second},
              {"consistency_path", path},
              {"first_head", audit::TreeHeadToJson(first_head)},
              {"second_head", audit::TreeHeadToJson(second_head)}};
    return Status::Ok();
  }));
  return JsonResponse(200, bundle);
}

Result<HttpResponse> Cosign(RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(const std::int64_t size, PositionParam(ctx, "size"));
  ctx.audit_object = "tree-head " + std::to_string(size);
  Result<audit::Cosignature> parsed = audit::CosignatureFromJson(ctx.body);
  if (!parsed.ok() || ctx.body.size() != 3) {
    return Status::InvalidArgument(
        "invalid_cosignature",
        parsed.ok() ? "only witness_key, timestamp and signature are allowed"
                    : "need witness_key (64 hex), timestamp (ms) and signature (128 hex): " +
                          parsed.status().message());
  }
  const audit::Cosignature& cosignature = *parsed;
  NCBNET_RETURN_IF_ERROR(ctx.Write(
      [&](store::Transaction& tx) { return audit::AddCosignature(tx, size, cosignature); }));
  return JsonResponse(201, {{"tree_size", size}, {"witness_key", cosignature.witness_key}});
}

// GET /v1/audit/accesses: the access entries of the caller's branch (audit/accesses.h), each
// with its inclusion bundle in the newest head (null until it is sequenced, within a second).
Result<HttpResponse> ListAccesses(RequestContext& ctx) {
  NCBNET_RETURN_IF_ERROR(OnlyQueryParams(ctx, {"after", "limit"}));
  NCBNET_ASSIGN_OR_RETURN(const std::int64_t after,
                          IntQueryParam(ctx, "after", 0, 0, kMaxPosition));
  NCBNET_ASSIGN_OR_RETURN(const std::int64_t limit, IntQueryParam(ctx, "limit", 50, 1, 100));
  nlohmann::json list = nlohmann::json::array();
  std::int64_t next = after;
  std::int64_t tree_size = 0;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    // Access entries belong to NCBs (the records' owners): those of the caller's branch.
    NCBNET_ASSIGN_OR_RETURN(std::vector<access::Agency> branch,
                            access::ListBranch(tx, ctx.agency()));
    std::vector<std::string> owners;
    for (const access::Agency& a : branch) {
      if (a.kind == access::AgencyKind::kNcb) owners.push_back(a.id);
    }
    NCBNET_ASSIGN_OR_RETURN(std::vector<audit::AuditEntry> entries,
                            audit::ListAccesses(tx, owners, after, static_cast<int>(limit)));
    NCBNET_ASSIGN_OR_RETURN(std::optional<audit::TreeHead> head, audit::LatestTreeHead(tx));
    tree_size = head ? head->tree_size : 0;
    for (const audit::AuditEntry& e : entries) {
      nlohmann::json proof = nullptr;
      if (e.seq <= tree_size) {
        NCBNET_ASSIGN_OR_RETURN(proof, audit::InclusionBundle(tx, e, *head));
      }
      list.push_back({{"entry", audit::EntryToJson(e)}, {"proof", std::move(proof)}});
      next = e.seq;
    }
    return Status::Ok();
  }));
  return JsonResponse(200, {{"accesses", list}, {"next_after", next}, {"tree_size", tree_size}});
}

}  // namespace

void AddAuditProofRoutes(Router& router) {
  const std::string read(access::kAuditRead);
  const auto add = [&](const char* method, const char* pattern, bool body, auto handler) {
    router.Add({.method = method,
                .pattern = pattern,
                .access = Access::kCapability,
                .capability = read,
                .scope = Scope::kBranch,
                .json_body = body,
                .handler = handler});
  };
  add("GET", "/v1/audit/tree-heads/latest", false, LatestHead);
  add("GET", "/v1/audit/tree-heads/{size}", false, GetHead);
  add("POST", "/v1/audit/tree-heads/{size}/cosignatures", true, Cosign);
  add("GET", "/v1/audit/entries/{seq}/proof", false, EntryProof);
  add("GET", "/v1/audit/consistency", false, Consistency);
  add("GET", "/v1/audit/accesses", false, ListAccesses);
}

}  // namespace ncbnet::api
