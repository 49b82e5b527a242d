#include "apps/ncbnet/record_file.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <set>

#include "core/json.h"

namespace ncbnet::apps {
namespace {

using nlohmann::json;

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix.data(), suffix.size()) == 0;
}

// Reads one CSV record starting at `pos` (RFC 4180). Advances `pos` past its line end and
// `line` by the lines it spans. Returns false with `error` set on a malformed record (the rest
// of its line is skipped).
bool ReadCsvRecord(std::string_view text, std::size_t& pos, int& line,
                   std::vector<std::string>& cells, std::string& error) {
  cells.assign(1, "");
  bool quoted = false;        // inside quotes
  bool after_quote = false;   // a quoted cell has closed; only ',' or a line end may follow
  bool cell_started = false;  // the cell has content (a quote may open only at its start)
  while (pos < text.size()) {
    const char c = text[pos++];
    if (quoted) {
      if (c == '"') {
        if (pos < text.size() && text[pos] == '"') {
          cells.back() += '"';
          ++pos;
        } else {
          quoted = false;
          after_quote = true;
        }
      } else {
        if (c == '\n') ++line;
        cells.back() += c;
      }
      continue;
    }
    if (c == '\r' && pos < text.size() && text[pos] == '\n') continue;
    if (c == '\n') {
      ++line;
      return true;
    }
    if (c == ',') {
      cells.emplace_back();
      after_quote = cell_started = false;
      continue;
    }
    if (after_quote) {
      error = "text after a closing quote";
      while (pos < text.size() && text[pos++] != '\n') {
      }
      ++line;
      return false;
    }
    if (c == '"' && !cell_started) {
      quoted = cell_started = true;
      continue;
    }
    cells.back() += c;
    cell_started = true;
  }
  if (quoted) {
    error = "a quote is not closed";
    return false;
  }
  return true;
}

bool Blank(const std::vector<std::string>& cells) {
  return cells.size() == 1 && cells[0].find_first_not_of(" \t\r") == std::string::npos;
}

std::vector<std::string> SplitList(const std::string& cell, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = cell.find(sep, start);
    std::string item = cell.substr(start, end == std::string::npos ? end : end - start);
    const std::size_t b = item.find_first_not_of(' ');
    const std::size_t e = item.find_last_not_of(' ');
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
    if (end == std::string::npos) return out;
    start = end + 1;
  }
}

// The cell as its field's type wants it. A value that does not convert is sent as text, so the
// hub refuses it with its own code and message.
json TypedCell(const std::string& type, const std::string& cell) {
  if (type == "integer") {
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
    if (ec == std::errc() && end == cell.data() + cell.size()) return v;
    return cell;
  }
  if (type == "text_list" || type == "country_list") return SplitList(cell, '|');
  if (type == "object_list") {
    json j = ParseJson(cell);
    return j.is_discarded() ? json(cell) : j;
  }
  return cell;
}

// Applies one record-level column to `input`. Returns false with `error` if the cell is bad.
bool RecordColumn(const std::string& name, const std::string& cell, json& input,
                  std::string& error) {
  if (name == "restrict") {
    const bool frontline =
        !input.contains("restrictions") || input["restrictions"].value("frontline", true);
    Result<json> r = RestrictionsOf(cell, frontline);
    if (!r.ok()) {
      error = r.status().message();
      return false;
    }
    input["restrictions"] = *r;
  } else if (name == "frontline") {
    if (cell != "true" && cell != "false") {
      error = "frontline is true or false";
      return false;
    }
    input["restrictions"]["frontline"] = cell == "true";
  } else {
    input[name] = cell;
  }
  return true;
}

constexpr std::array<std::string_view, 5> kRecordColumns = {"external_id", "action", "review_date",
                                                            "restrict", "frontline"};

bool IsRecordColumn(const std::string& name) {
  return std::find(kRecordColumns.begin(), kRecordColumns.end(), name) != kRecordColumns.end();
}

}  // namespace

Result<FileFormat> FormatOf(const std::string& flag, const std::string& path) {
  if (flag == "csv") return FileFormat::kCsv;
  if (flag == "jsonl") return FileFormat::kJsonLines;
  if (!flag.empty()) return Status::InvalidArgument("invalid_format", "--format is csv or jsonl");
  if (EndsWith(path, ".csv")) return FileFormat::kCsv;
  for (std::string_view ext : {".jsonl", ".ndjson", ".json"}) {
    if (EndsWith(path, ext)) return FileFormat::kJsonLines;
  }
  return Status::InvalidArgument("invalid_format",
                                 "cannot tell the format from the file name; give --format");
}

Result<CsvTable> ReadCsv(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  CsvTable table;
  std::size_t pos = 0;
  int line = 1;
  std::string error;
  if (!ReadCsvRecord(text, pos, line, table.header, error) || Blank(table.header)) {
    return Status::InvalidArgument("invalid_csv", "line 1: the header row is missing or malformed");
  }
  std::set<std::string> seen;
  for (const std::string& h : table.header) {
    if (h.empty() || !seen.insert(h).second) {
      return Status::InvalidArgument("invalid_csv",
                                     "line 1: a column name is empty or repeated: '" + h + "'");
    }
  }
  while (pos < text.size()) {
    CsvTable::Row row;
    row.line = line;
    error.clear();
    if (!ReadCsvRecord(text, pos, line, row.cells, error)) {
      table.problems.push_back({row.line, "invalid_csv", error});
      continue;
    }
    if (Blank(row.cells)) continue;
    if (row.cells.size() != table.header.size()) {
      table.problems.push_back({row.line, "invalid_csv",
                                std::to_string(row.cells.size()) + " cells; the header has " +
                                    std::to_string(table.header.size())});
      continue;
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

ParsedFile ReadJsonLines(std::string_view text) {
  ParsedFile out;
  int line = 0;
  std::size_t pos = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;
  while (pos < text.size()) {
    ++line;
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view one = text.substr(pos, end - pos);
    pos = end + 1;
    if (one.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    json j = ParseJson(one);
    if (j.is_discarded()) {
      out.problems.push_back({line, "invalid_json", "not valid JSON"});
    } else if (!j.is_object()) {
      out.problems.push_back({line, "invalid_json", "not a JSON object"});
    } else {
      out.rows.push_back({line, std::move(j)});
    }
  }
  return out;
}

Result<ParsedFile> CsvRecords(const CsvTable& table, const json& schema) {
  std::vector<std::string> types;  // per column: the field's type, or "" for a record column
  for (const std::string& name : table.header) {
    std::string type;
    for (const json& f : schema.value("fields", json::array())) {
      if (f.value("name", "") == name) type = f.value("type", "text");
    }
    if (type.empty() && !IsRecordColumn(name)) {
      return Status::InvalidArgument("unknown_column",
                                     "line 1: column '" + name + "' is neither a field of " +
                                         schema.value("code", "the database") +
                                         " nor one of external_id, action, review_date, restrict, "
                                         "frontline");
    }
    types.push_back(type);
  }
  ParsedFile out;
  out.problems = table.problems;
  for (const CsvTable::Row& row : table.rows) {
    json input = {{"fields", json::object()}};
    std::string error;
    for (std::size_t i = 0; i < row.cells.size() && error.empty(); ++i) {
      const std::string& cell = row.cells[i];
      if (cell.empty()) continue;
      if (types[i].empty()) {
        RecordColumn(table.header[i], cell, input, error);
      } else {
        input["fields"][table.header[i]] = TypedCell(types[i], cell);
      }
    }
    if (!error.empty()) {
      out.problems.push_back({row.line, "invalid_row", error});
    } else {
      out.rows.push_back({row.line, std::move(input)});
    }
  }
  return out;
}

ParsedFile JsonRecords(const ParsedFile& lines) {
  // What an export line carries beside the inputs: the hub's, not the owner's to set.
  static const std::set<std::string> export_only = {
      "id",     "database", "owner",   "owner_country", "version",
      "status", "created",  "updated", "changed_by",    "cancel_reason"};
  ParsedFile out;
  out.problems = lines.problems;
  for (const FileRow& row : lines.rows) {
    const auto fields = row.value.find("fields");
    if (fields == row.value.end() || !fields->is_object()) {
      out.rows.push_back({row.line, {{"fields", row.value}}});
      continue;
    }
    // A cancelled record of an export is left out: imported, it would match again.
    if (row.value.value("status", "") == "cancelled") continue;
    json input = json::object();
    for (const auto& [key, value] : row.value.items()) {
      if (!export_only.contains(key)) input[key] = value;
    }
    out.rows.push_back({row.line, std::move(input)});
  }
  return out;
}

ParsedFile CsvItems(const CsvTable& table) {
  ParsedFile out;
  out.problems = table.problems;
  for (const CsvTable::Row& row : table.rows) {
    json item = json::object();
    for (std::size_t i = 0; i < row.cells.size(); ++i) {
      if (!row.cells[i].empty()) item[table.header[i]] = row.cells[i];
    }
    out.rows.push_back({row.line, std::move(item)});
  }
  return out;
}

Result<json> RestrictionsOf(const std::string& spec, bool frontline) {
  json r = {{"visibility", "all"}, {"frontline", frontline}};
  if (spec.empty() || spec == "all") return r;
  const std::size_t colon = spec.find(':');
  const std::string kind = spec.substr(0, colon);
  if (colon == std::string::npos || (kind != "only" && kind != "except")) {
    return Status::InvalidArgument("invalid_restrictions",
                                   "restrict is all, only:DEU,ESP or except:ITA");
  }
  r["visibility"] = kind;
  r["countries"] = SplitList(spec.substr(colon + 1), ',');
  return r;
}

}  // namespace ncbnet::apps
