// For tests of what reads the notices table (notices/lookup.h and the border check): a notices
// row as the notices service writes it (migration 9), with only what a lookup reads chosen.
#pragma once

#include <optional>
#include <string>

#include "store/store.h"

namespace ncbnet::notices::testutil {

struct NoticeRow {
  std::string id;
  std::string channel;  // notice, diffusion
  std::string kind;
  std::string state;
  std::optional<std::string> control_number;
  std::string recipients = "*";
  std::string requesting_agency = "ncb-fra";
  std::string requesting_country = "FRA";
};

inline Status InsertNoticeRow(store::Transaction& tx, const NoticeRow& n) {
  return tx
      .Exec(
          "INSERT INTO notices (id, channel, kind, control_number, requesting_agency, "
          "requesting_country, state, version, fields, public_consent, recipients, "
          "pending_action, findings, record_id, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, "
          "?, 1, ?, 0, ?, '', '', '', 1, 1)",
          {n.id, n.channel, n.kind, store::Value(n.control_number), n.requesting_agency,
           n.requesting_country, n.state, store::Blob{"sealed"}, n.recipients})
      .status();
}

}  // namespace ncbnet::notices::testutil
