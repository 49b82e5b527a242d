#include "apps/ncbnet/demo_records.h"

#include <map>

#include "apps/ncbnet/network_setup.h"
#include "core/clock.h"
#include "records/catalogue.h"

namespace ncbnet::apps {

Status SeedDemoRecords(store::Store& store, const messaging::DataKey& data_key,
                       const crypto::SigningKey& audit_key) {
  NCBNET_ASSIGN_OR_RETURN(records::IndexSecret secret, records::DeriveIndexSecret(data_key.bytes));
  const records::Catalogue& catalogue = records::Catalogue::Builtin();
  const std::vector<DemoRecord> demo = DemoRecords();
  const std::int64_t now = SystemClock().NowMillis();
  return store.Write([&](store::Transaction& tx) -> Status {
    std::map<std::string, std::size_t> counts;
    for (std::size_t i = 0; i < demo.size(); ++i) {
      const DemoRecord& d = demo[i];
      NCBNET_ASSIGN_OR_RETURN(const records::DatabaseSchema* schema, catalogue.Find(d.database));
      std::string ncb = "ncb-";
      for (const char c : d.owner_country) ncb += static_cast<char>(c - 'A' + 'a');
      const records::Writer writer{ncb, "", d.owner_country};
      Result<records::Record> r = records::CreateRecord(tx, *schema, secret, writer, d.input, now);
      if (!r.ok()) {
        // The generator's bug, not the operator's: say which record.
        return Status::Internal("demo_records", "demo record " + std::to_string(i) + " of " +
                                                    d.database + ": " + r.status().reason() + ": " +
                                                    r.status().message());
      }
      ++counts[d.database];
    }
    std::string summary;
    for (const auto& [db, n] : counts) {
      summary += (summary.empty() ? "" : ", ") + db + " " + std::to_string(n);
    }
    return AuditLocal(tx, audit_key, "ncbnet demo", "demo records: " + summary);
  });
}

}  // namespace ncbnet::apps
