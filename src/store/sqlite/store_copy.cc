#include "store/sqlite/store_copy.h"

#include <string_view>
#include <vector>

#include "store/migrations.h"

namespace ncbnet::store {
namespace {

// Rows are read in pages of this many, by rowid, so that a large table is never held whole.
constexpr std::int64_t kPage = 2000;

// The tables of the SQLite store in the order they were created, schema_version left out (the
// target's own migrations set it).
Result<std::vector<std::string>> TablesInCreationOrder(Store& from) {
  std::vector<std::string> tables;
  NCBNET_RETURN_IF_ERROR(from.Read([&](Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(std::vector<Row> rows,
                            tx.Query("SELECT name FROM sqlite_master WHERE type = 'table'"
                                     " AND name NOT LIKE 'sqlite_%' ORDER BY rowid"));
    for (const Row& row : rows) {
      if (row[0].AsText() != "schema_version") tables.push_back(row[0].AsText());
    }
    return Status::Ok();
  }));
  return tables;
}

Result<std::int64_t> Version(Store& store) {
  std::int64_t version = 0;
  NCBNET_RETURN_IF_ERROR(store.Read([&](Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(version, SchemaVersion(tx));
    return Status::Ok();
  }));
  return version;
}

Status CheckEmpty(Transaction& tx, const std::string& table) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<Row> row,
                          tx.QueryOne("SELECT 1 FROM " + table + " LIMIT 1"));
  if (!row) return Status::Ok();
  return Status::FailedPrecondition("target_not_empty",
                                    "the target store's table " + table + " holds rows already");
}

// Copies one table page by page; returns the rows copied.
Result<std::int64_t> CopyTable(Store& from, Transaction& to, const std::string& table) {
  std::int64_t copied = 0;
  std::int64_t after = -1;
  std::vector<std::string> columns;
  while (true) {
    std::vector<Row> page;
    NCBNET_RETURN_IF_ERROR(from.Read([&](Transaction& tx) -> Status {
      if (columns.empty()) {
        NCBNET_ASSIGN_OR_RETURN(
            std::vector<Row> info,
            tx.Query("SELECT name FROM pragma_table_info(?) ORDER BY cid", {table}));
        for (const Row& c : info) columns.push_back(c[0].AsText());
      }
      NCBNET_ASSIGN_OR_RETURN(page, tx.Query("SELECT rowid, * FROM " + table +
                                                 " WHERE rowid > ? ORDER BY rowid LIMIT ?",
                                             {after, kPage}));
      return Status::Ok();
    }));
    if (page.empty()) return copied;
    std::string insert = "INSERT INTO " + table + " (";
    std::string marks;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      insert += (i == 0 ? "" : ", ") + columns[i];
      marks += i == 0 ? "?" : ", ?";
    }
    insert += ") VALUES (" + marks + ")";
    for (Row& row : page) {
      after = row[0].AsInt();
      NCBNET_RETURN_IF_ERROR(
          to.Exec(insert, std::vector<Value>(row.begin() + 1, row.end())).status());
      ++copied;
    }
  }
}

}  // namespace

Result<CopyReport> CopySqliteStore(Store& from, Store& to) {
  NCBNET_ASSIGN_OR_RETURN(const std::int64_t from_version, Version(from));
  NCBNET_ASSIGN_OR_RETURN(const std::int64_t to_version, Version(to));
  if (from_version != to_version) {
    return Status::FailedPrecondition(
        "schema_mismatch", "schema versions differ: " + std::to_string(from_version) + " and " +
                               std::to_string(to_version));
  }
  NCBNET_ASSIGN_OR_RETURN(const std::vector<std::string> tables, TablesInCreationOrder(from));
  CopyReport report;
  NCBNET_RETURN_IF_ERROR(to.Write([&](Transaction& tx) -> Status {
    report = CopyReport();
    for (const std::string& table : tables) NCBNET_RETURN_IF_ERROR(CheckEmpty(tx, table));
    for (const std::string& table : tables) {
      NCBNET_ASSIGN_OR_RETURN(const std::int64_t n, CopyTable(from, tx, table));
      report.rows[table] = n;
      report.total += n;
    }
    return Status::Ok();
  }));
  return report;
}

}  // namespace ncbnet::store
