// Reading hits: GetHit, ListHits, and the row decoding and side rule they share.
#include "core/json.h"
#include "hits/hits.h"
#include "hits/internal/hit_rows.h"

namespace ncbnet::hits {
namespace internal {

const std::string_view kHitColumns =
    "h.id, h.record_ref, h.record_id, h.record_version, h.database, h.owner_country,"
    " h.owner_agency, h.checker_agency, h.checker_user, h.checker_user_name, h.checker_country,"
    " h.terminal, h.checked_ms, h.match_kind, h.identifier, h.value, h.score, h.explanation,"
    " h.context, h.checker_state, h.checker_state_ms, h.owner_state, h.owner_state_ms,"
    " h.notification_id";

Status HitNotFound() { return Status::NotFound("hit_not_found", "no such hit"); }

namespace {

Status Corrupt(std::string_view id, std::string_view what) {
  return Status::DataLoss("hit_corrupt", "hit " + std::string(id) + ": " + std::string(what));
}

}  // namespace

Result<Hit> DecodeHit(const store::Row& row) {
  Hit h;
  h.id = row[0].AsText();
  h.record_ref = row[1].AsInt();
  h.record_id = row[2].AsText();
  h.record_version = row[3].AsInt();
  h.database = row[4].AsText();
  h.owner_country = row[5].AsText();
  h.owner_agency = row[6].AsText();
  h.checker_agency = row[7].AsText();
  h.checker_user = row[8].AsText();
  h.checker_user_name = row[9].AsText();
  h.checker_country = row[10].AsText();
  h.terminal = row[11].AsInt() != 0;
  h.checked_ms = row[12].AsInt();
  if (row[13].AsText() != "identifier" && row[13].AsText() != "name") {
    return Corrupt(h.id, "unknown match kind");
  }
  h.matched.kind = row[13].AsText() == "name" ? MatchKind::kName : MatchKind::kIdentifier;
  h.matched.identifier = row[14].AsText();
  h.matched.value = row[15].AsText();
  h.matched.score = row[16].is_real() ? row[16].AsReal() : static_cast<double>(row[16].AsInt());
  h.matched.explanation = row[17].AsText();
  const nlohmann::json context = ParseJson(row[18].AsText());
  Result<CheckContext> parsed = context.is_discarded()
                                    ? Result<CheckContext>(Corrupt(h.id, "context"))
                                    : ParseCheckContext(context);
  if (!parsed.ok()) return Corrupt(h.id, "context unreadable");
  h.context = *std::move(parsed);
  const std::optional<FollowUpState> checker_state = ParseFollowUpState(row[19].AsText());
  const std::optional<FollowUpState> owner_state = ParseFollowUpState(row[21].AsText());
  if (!checker_state || !owner_state) return Corrupt(h.id, "unknown follow-up state");
  h.checker_state = *checker_state;
  h.checker_state_ms = row[20].AsOptionalInt();
  h.owner_state = *owner_state;
  h.owner_state_ms = row[22].AsOptionalInt();
  h.notification_id = row[23].AsText();
  return h;
}

std::optional<Side> SideOf(const Hit& h, const HitViewer& viewer) {
  if (viewer.agency_id.empty()) return std::nullopt;
  if (viewer.agency_id == h.checker_agency) return Side::kChecker;
  if (viewer.agency_id == h.owner_agency) return Side::kOwner;
  // The checking agency's NCB: hits' checker_ncb is not kept in Hit, so it is derived the way
  // RecordHits stored it.
  if (viewer.kind == access::AgencyKind::kNcb && !h.checker_country.empty() &&
      viewer.agency_id == access::NcbIdFor(h.checker_country)) {
    return Side::kChecker;
  }
  return std::nullopt;
}

Result<Hit> LoadVisibleHit(store::Transaction& tx, std::string_view id, const HitViewer& viewer,
                           Side& side) {
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("SELECT " + std::string(kHitColumns) + " FROM hits h WHERE h.id = ?", {id}));
  if (!row) return HitNotFound();
  NCBNET_ASSIGN_OR_RETURN(Hit h, DecodeHit(*row));
  const std::optional<Side> s = SideOf(h, viewer);
  if (!s) return HitNotFound();  // the same answer as an unknown id
  side = *s;
  return h;
}

Result<std::vector<FollowUp>> LoadFollowUps(store::Transaction& tx, std::string_view hit_id) {
  NCBNET_ASSIGN_OR_RETURN(
      std::vector<store::Row> rows,
      tx.Query("SELECT seq, side, state, agency_id, user_id, note, created_ms FROM hit_follow_ups"
               " WHERE hit_id = ? ORDER BY seq",
               {hit_id}));
  std::vector<FollowUp> out;
  out.reserve(rows.size());
  for (const store::Row& r : rows) {
    const std::optional<FollowUpState> state = ParseFollowUpState(r[2].AsText());
    if (!state || (r[1].AsText() != "owner" && r[1].AsText() != "checker")) {
      return Corrupt(hit_id, "follow-up unreadable");
    }
    out.push_back(FollowUp{r[0].AsInt(), r[1].AsText() == "owner" ? Side::kOwner : Side::kChecker,
                           *state, r[3].AsText(), r[4].AsText(), r[5].AsText(), r[6].AsInt()});
  }
  return out;
}

}  // namespace internal

Result<Hit> GetHit(store::Transaction& tx, std::string_view hit_id, const HitViewer& viewer) {
  Side side = Side::kChecker;
  NCBNET_ASSIGN_OR_RETURN(Hit h, internal::LoadVisibleHit(tx, hit_id, viewer, side));
  NCBNET_ASSIGN_OR_RETURN(h.follow_ups, internal::LoadFollowUps(tx, h.id));
  return h;
}

namespace {

// The WHERE clause of ListHits, with its parameters.
class Where {
 public:
  void Add(std::string_view clause, std::initializer_list<store::Value> params) {
    sql_ += sql_.empty() ? " WHERE " : " AND ";
    sql_ += clause;
    params_.insert(params_.end(), params);
  }
  const std::string& sql() const { return sql_; }
  std::vector<store::Value>& params() { return params_; }

 private:
  std::string sql_;
  std::vector<store::Value> params_;
};

// Conditions equivalent to internal::SideOf, in SQL. Only an NCB is ever a checker_ncb (and
// the GS's own hits have an empty one, which must match nobody).
void AddSide(Where& w, const HitViewer& viewer, const std::optional<Side>& side) {
  const std::string& me = viewer.agency_id;
  const bool ncb = viewer.kind == access::AgencyKind::kNcb;
  if (!side) {
    if (ncb) {
      w.Add("(h.checker_agency = ? OR h.owner_agency = ? OR h.checker_ncb = ?)", {me, me, me});
    } else {
      w.Add("(h.checker_agency = ? OR h.owner_agency = ?)", {me, me});
    }
  } else if (*side == Side::kChecker) {
    if (ncb) {
      w.Add("(h.checker_agency = ? OR (h.checker_ncb = ? AND h.owner_agency <> ?))", {me, me, me});
    } else {
      w.Add("h.checker_agency = ?", {me});
    }
  } else {
    w.Add("(h.owner_agency = ? AND h.checker_agency <> ?)", {me, me});
  }
}

}  // namespace

Result<std::vector<DatabaseCount>> HitsPerDatabase(store::Transaction& tx, const HitViewer& viewer,
                                                   Side side, std::int64_t since_ms) {
  std::vector<DatabaseCount> out;
  if (viewer.agency_id.empty()) return out;
  Where w;
  AddSide(w, viewer, side);
  w.Add("h.checked_ms >= ?", {since_ms});
  NCBNET_ASSIGN_OR_RETURN(std::vector<store::Row> rows,
                          tx.Query("SELECT h.database, count(*) FROM hits h" + w.sql() +
                                       " GROUP BY h.database ORDER BY h.database",
                                   w.params()));
  for (const store::Row& row : rows) out.push_back({row[0].AsText(), row[1].AsInt()});
  return out;
}

Result<std::vector<Hit>> ListHits(store::Transaction& tx, const HitViewer& viewer,
                                  const HitFilter& filter) {
  if (filter.limit < 1 || filter.limit > 500) {
    return Status::InvalidArgument("invalid_request", "limit must be within 1..500");
  }
  std::vector<Hit> out;
  if (viewer.agency_id.empty()) return out;
  Where w;
  AddSide(w, viewer, filter.side);
  if (!filter.database.empty()) w.Add("h.database = ?", {filter.database});
  if (!filter.record_id.empty()) w.Add("h.record_id = ?", {filter.record_id});
  if (filter.since_ms) w.Add("h.checked_ms >= ?", {*filter.since_ms});
  if (filter.state) {
    // The viewer's side's state: the checker's when it checked, the owner's when it owns.
    w.Add(
        "(CASE WHEN h.checker_agency = ? THEN h.checker_state WHEN h.owner_agency = ?"
        " THEN h.owner_state ELSE h.checker_state END) = ?",
        {viewer.agency_id, viewer.agency_id, FollowUpStateName(*filter.state)});
  }
  if (!filter.before.empty()) {
    Side side = Side::kChecker;
    NCBNET_ASSIGN_OR_RETURN(Hit before, internal::LoadVisibleHit(tx, filter.before, viewer, side));
    w.Add("(h.checked_ms < ? OR (h.checked_ms = ? AND h.id < ?))",
          {before.checked_ms, before.checked_ms, before.id});
  }
  std::vector<store::Value> params = w.params();
  params.emplace_back(std::int64_t{filter.limit});
  NCBNET_ASSIGN_OR_RETURN(std::vector<store::Row> rows,
                          tx.Query("SELECT " + std::string(internal::kHitColumns) + " FROM hits h" +
                                       w.sql() + " ORDER BY h.checked_ms DESC, h.id DESC LIMIT ?",
                                   params));
  out.reserve(rows.size());
  for (const store::Row& row : rows) {
    NCBNET_ASSIGN_OR_RETURN(Hit h, internal::DecodeHit(row));
    out.push_back(std::move(h));
  }
  return out;
}

}  // namespace ncbnet::hits
