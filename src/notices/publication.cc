#include "notices/internal/publication.h"

#include <charconv>
#include <set>

#include "core/time_format.h"
#include "crypto/aead.h"
#include "notices/internal/notice_rows.h"
#include "records/catalogue.h"
#include "text/name_tokens.h"

namespace ncbnet::notices::internal {
namespace {

using nlohmann::json;

// The subject's fields the NOTICES record carries (records/catalogue_data.cc).
constexpr const char* kSubjectFields[] = {
    "name", "name_latin", "aliases", "sex", "date_of_birth", "nationalities", "identity_documents"};

Result<const records::DatabaseSchema*> NoticesSchema() {
  Result<const records::DatabaseSchema*> db = records::Catalogue::Builtin().Find(kNoticesDatabase);
  if (!db.ok()) return Status::Internal("no_notices_database", "the catalogue lacks NOTICES");
  return db;
}

records::Writer OwnerOf(const Notice& n) {
  return {access::NcbIdFor(n.requesting_country), "", n.requesting_country};
}

// "A-42/11-2026": the kind's prefix (DIF for diffusions), the next number of the series this
// year, the month and the year of `now_ms`.
Result<std::string> NextControlNumber(store::Transaction& tx, const std::string& prefix,
                                      std::int64_t now_ms) {
  const std::string date = FormatIsoMillis(now_ms);
  const std::string year = date.substr(0, 4);
  const std::string month = std::to_string(std::stoi(date.substr(5, 2)));
  NCBNET_ASSIGN_OR_RETURN(std::vector<store::Row> rows,
                          tx.Query("SELECT control_number FROM notices WHERE control_number LIKE ?",
                                   {prefix + "-%-" + year}));
  long max = 0;
  for (const store::Row& r : rows) {
    const std::string& cn = r[0].AsText();
    const std::size_t start = prefix.size() + 1;
    long n = 0;
    const auto [end, ec] = std::from_chars(cn.data() + start, cn.data() + cn.size(), n);
    if (ec == std::errc() && end != cn.data() + cn.size() && *end == '/') max = std::max(max, n);
  }
  return prefix + "-" + std::to_string(max + 1) + "/" + month + "-" + year;
}

bool HasSubject(const Kind& kind, const json& fields) {
  return kind.person && (fields.contains("name") || fields.contains("identity_documents"));
}

records::RecordInput RecordInputOf(const Kind& kind, const Notice& n) {
  records::RecordInput in;
  in.fields = {{"control_number", n.control_number}, {"kind", n.kind}, {"channel", n.channel}};
  for (const char* key : kSubjectFields) {
    if (n.fields.contains(key)) in.fields[key] = n.fields[key];
  }
  if (n.channel == "diffusion" && !n.recipients.empty()) {
    in.restrictions.visibility = records::Visibility::kOnly;
    in.restrictions.countries = n.recipients;
    std::sort(in.restrictions.countries.begin(), in.restrictions.countries.end());
  }
  in.action = InstructionFor(kind, n.control_number, n.requesting_country);
  in.review_ms = n.expires_ms;
  return in;
}

// The record of `n` if it exists and is active.
Result<std::optional<records::Record>> ActiveRecord(store::Transaction& tx, const Keys& keys,
                                                    const Notice& n) {
  if (n.record_id.empty()) return std::optional<records::Record>();
  const records::Writer w = OwnerOf(n);
  Result<records::Record> r =
      records::GetRecord(tx, keys.index_secret, kNoticesDatabase, n.record_id,
                         {w.agency_id, w.country, access::AgencyKind::kNcb});
  if (!r.ok() && r.status().code() == StatusCode::kNotFound) {
    return std::optional<records::Record>();
  }
  NCBNET_RETURN_IF_ERROR(r.status());
  if (r->status != records::RecordStatus::kActive) return std::optional<records::Record>();
  return std::optional<records::Record>(std::move(r).value());
}

std::string Spaced(const std::set<std::string>& items) {
  std::string out = " ";
  for (const std::string& s : items) out += s + " ";
  return out;
}

Status DeletePublic(store::Transaction& tx, std::string_view id) {
  NCBNET_RETURN_IF_ERROR(
      tx.Exec("DELETE FROM public_notice_images WHERE notice_id = ?", {id}).status());
  return tx.Exec("DELETE FROM public_notices WHERE notice_id = ?", {id}).status();
}

// The images of a public extract, in the clear.
Status CopyPublicImages(store::Transaction& tx, const Keys& keys, const Notice& n) {
  NCBNET_ASSIGN_OR_RETURN(const std::string key, SealingKey(keys.data_key));
  for (const ImageInfo& i : n.images) {
    NCBNET_ASSIGN_OR_RETURN(
        std::optional<store::Row> row,
        tx.QueryOne("SELECT sealed FROM notice_images WHERE notice_id = ? AND seq = ?",
                    {n.id, i.seq}));
    if (!row) continue;
    NCBNET_ASSIGN_OR_RETURN(
        std::string bytes,
        crypto::Open(key, (*row)[0].AsText(), Binding(n.id, "image:" + std::to_string(i.seq))));
    NCBNET_RETURN_IF_ERROR(tx.Exec("INSERT INTO public_notice_images (notice_id, seq,"
                                   " media_type, bytes) VALUES (?, ?, ?, ?)",
                                   {n.id, i.seq, i.media_type, store::Blob{std::move(bytes)}})
                               .status());
  }
  return Status::Ok();
}

// The public extract (store/migrations.cc, migration 9): the kind's public fields only.
Status WritePublic(store::Transaction& tx, const Keys& keys, const Kind& kind, const Notice& n) {
  NCBNET_RETURN_IF_ERROR(DeletePublic(tx, n.id));
  if (n.channel != "notice" || !(n.public_consent || kind.always_public)) return Status::Ok();
  json pub = {{"control_number", n.control_number},
              {"kind", n.kind},
              {"requesting_country", n.requesting_country},
              {"published", FormatIsoMillis(n.published_ms.value_or(n.updated_ms))}};
  for (const std::string& f : kind.public_fields) {
    if (n.fields.contains(f)) pub[f] = n.fields[f];
  }
  std::set<std::string> names;
  for (const char* key : {"name", "name_latin"}) {
    if (n.fields.contains(key) && n.fields[key].is_string()) {
      Result<std::vector<std::string>> t = text::NameTokens(n.fields[key].get<std::string>());
      if (t.ok()) names.insert(t->begin(), t->end());
    }
  }
  if (n.fields.contains("aliases") && pub.contains("aliases")) {
    for (const json& a : n.fields["aliases"]) {
      Result<std::vector<std::string>> t = text::NameTokens(a.get<std::string>());
      if (t.ok()) names.insert(t->begin(), t->end());
    }
  }
  std::set<std::string> nationalities;
  for (const json& c : n.fields.value("nationalities", json::array())) {
    nationalities.insert(c.get<std::string>());
  }
  const std::string dob = n.fields.value("date_of_birth", "");
  const std::optional<std::int64_t> birth_year =
      dob.size() >= 4 ? std::optional<std::int64_t>(std::stoll(dob.substr(0, 4))) : std::nullopt;
  json images = json::array();
  for (const ImageInfo& i : n.images) {
    images.push_back({{"seq", i.seq}, {"media_type", i.media_type}});
  }
  pub["images"] = images;
  NCBNET_RETURN_IF_ERROR(
      tx.Exec("INSERT INTO public_notices (notice_id, control_number, kind, requesting_country,"
              " names, nationalities, birth_year, sex, public_json, published_ms)"
              " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {n.id, n.control_number, n.kind, n.requesting_country, Spaced(names),
               Spaced(nationalities), birth_year, n.fields.value("sex", ""), pub.dump(),
               n.published_ms.value_or(n.updated_ms)})
          .status());
  return CopyPublicImages(tx, keys, n);
}

Status PutRecord(store::Transaction& tx, const Keys& keys, const Kind& kind, Notice& n,
                 std::int64_t now_ms) {
  if (!HasSubject(kind, n.fields)) return Status::Ok();
  NCBNET_ASSIGN_OR_RETURN(const records::DatabaseSchema* db, NoticesSchema());
  NCBNET_ASSIGN_OR_RETURN(std::optional<records::Record> current, ActiveRecord(tx, keys, n));
  const records::RecordInput in = RecordInputOf(kind, n);
  if (current) {
    NCBNET_RETURN_IF_ERROR(records::UpdateRecord(tx, *db, keys.index_secret, OwnerOf(n),
                                                 current->id, current->version, in, now_ms)
                               .status());
    return Status::Ok();
  }
  NCBNET_ASSIGN_OR_RETURN(
      records::Record r, records::CreateRecord(tx, *db, keys.index_secret, OwnerOf(n), in, now_ms));
  n.record_id = r.id;
  return Status::Ok();
}

}  // namespace

Status GoLive(store::Transaction& tx, const Keys& keys, const Kind& kind, Notice& n,
              std::int64_t now_ms, std::string_view control_number) {
  if (n.control_number.empty()) {
    if (!control_number.empty()) {
      n.control_number = std::string(control_number);
    } else {
      const std::string prefix = n.channel == "diffusion" ? "DIF" : kind.prefix;
      NCBNET_ASSIGN_OR_RETURN(n.control_number, NextControlNumber(tx, prefix, now_ms));
    }
  }
  if (!n.published_ms) n.published_ms = now_ms;
  if (!n.expires_ms) n.expires_ms = now_ms + kValidityMs;
  NCBNET_RETURN_IF_ERROR(PutRecord(tx, keys, kind, n, now_ms));
  return WritePublic(tx, keys, kind, n);
}

Status RefreshLive(store::Transaction& tx, const Keys& keys, const Kind& kind, Notice& n,
                   std::int64_t now_ms) {
  NCBNET_RETURN_IF_ERROR(PutRecord(tx, keys, kind, n, now_ms));
  return WritePublic(tx, keys, kind, n);
}

Status StopLive(store::Transaction& tx, const Keys& keys, const Notice& n, std::string_view reason,
                std::int64_t now_ms) {
  NCBNET_RETURN_IF_ERROR(DeletePublic(tx, n.id));
  NCBNET_ASSIGN_OR_RETURN(std::optional<records::Record> current, ActiveRecord(tx, keys, n));
  if (!current) return Status::Ok();
  NCBNET_ASSIGN_OR_RETURN(const records::DatabaseSchema* db, NoticesSchema());
  const std::string why = reason.empty() ? "notice no longer live" : std::string(reason);
  return records::CancelRecord(tx, *db, keys.index_secret, OwnerOf(n), current->id,
                               current->version, why.substr(0, 500), now_ms)
      .status();
}

}  // namespace ncbnet::notices::internal
