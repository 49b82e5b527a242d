// The files of `ncbnet records import` and `ncbnet check batch`: CSV with a header row, or JSON
// lines, read whole and turned into JSON objects, each with the line of the file it starts on,
// so that every problem (in the file, or found by the hub) is reported by line.
//
// CSV (RFC 4180): fields separated by commas, quoted with '"' ('""' inside quotes is a quote;
// quoted fields may span lines), CRLF or LF line ends, an optional UTF-8 byte-order mark.
// The header row names a column per field; an empty cell leaves its field out.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace ncbnet::apps {

enum class FileFormat { kCsv, kJsonLines };

// The format named by `flag` ("csv", "jsonl"), else by `path`'s extension (.csv; .jsonl,
// .ndjson, .json). Error: kInvalidArgument "invalid_format".
Result<FileFormat> FormatOf(const std::string& flag, const std::string& path);

struct FileRow {
  int line = 0;  // 1-based, where the row starts
  nlohmann::json value;
};

struct FileProblem {
  int line = 0;
  std::string code;  // "invalid_csv", "invalid_json", "invalid_row"
  std::string message;
};

struct ParsedFile {
  std::vector<FileRow> rows;
  std::vector<FileProblem> problems;  // rows that could not be read; the others are in `rows`
};

// One CSV row as text cells. `header` names the columns.
struct CsvTable {
  std::vector<std::string> header;
  struct Row {
    int line = 0;
    std::vector<std::string> cells;
  };
  std::vector<Row> rows;
  std::vector<FileProblem> problems;
};

// Splits CSV text into its header and rows. A row with another number of cells than the header,
// an unterminated quote, or text after a closing quote is a problem, not a row. An empty file
// or header is kInvalidArgument "invalid_csv".
Result<CsvTable> ReadCsv(std::string_view text);

// Each non-blank line must be a JSON object; others are problems.
ParsedFile ReadJsonLines(std::string_view text);

// CSV rows as record inputs for POST /v1/records/{db}/batch, given the database's schema as the
// hub describes it (GET /v1/databases/{db}). Cells are typed by their field: integers as
// numbers, text_list and country_list split at '|', object_list parsed as JSON. The columns
// external_id, action, review_date, restrict (as `--restrict`: only:DEU,ESP | except:ITA | all)
// and frontline (true/false) are the record's, not fields. A column that is neither is
// kInvalidArgument "unknown_column" (the whole file is refused).
Result<ParsedFile> CsvRecords(const CsvTable& table, const nlohmann::json& schema);

// JSON lines as record inputs: a line with an object "fields" is a record input (the keys of an
// exported record that are not inputs, such as id and version, are dropped, and a cancelled
// exported record is left out); any other object is the fields of a record.
ParsedFile JsonRecords(const ParsedFile& lines);

// CSV rows as check items for POST /v1/checks/{db}: each non-empty cell by its column's name.
ParsedFile CsvItems(const CsvTable& table);

// `--restrict` (only:DEU,ESP | except:ITA | all) and `--no-frontline` as the API's
// restrictions object. Error: kInvalidArgument "invalid_restrictions".
Result<nlohmann::json> RestrictionsOf(const std::string& spec, bool frontline);

}  // namespace ncbnet::apps
