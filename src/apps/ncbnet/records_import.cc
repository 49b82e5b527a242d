// ncbnet records import DB FILE: a CSV or JSON-lines file of records (record_file.h), in two
// passes over POST /v1/records/{db}/batch. First every row is validated by the hub in dry-run
// batches, and if any row is rejected (or could not be read from the file) every such row is
// reported with its line and nothing is imported. Then the rows are imported for real, batch by
// batch, each batch all or nothing. A failure between batches (the network, the hub) leaves the
// earlier batches in: rows carrying external_id make a re-run with --skip-existing safe, since
// the hub refuses a duplicate external_id as record_exists.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <map>

#include "apps/ncbnet/data_dir.h"
#include "apps/ncbnet/output.h"
#include "apps/ncbnet/record_file.h"
#include "apps/ncbnet/records_cli.h"

namespace ncbnet::apps {
namespace {

using nlohmann::json;

constexpr std::size_t kBatch = 1000;  // the hub's limit per batch

struct ImportFlags {
  ClientFlags client;
  std::string db, file, format;
  bool skip_existing = false;
  bool json = false;
};

// Rows read from the file, and what became of them.
struct ImportState {
  std::vector<FileRow> rows;
  std::vector<FileProblem> problems;  // from the file and from the hub, by line
  std::vector<bool> skipped;          // per row: already imported (--skip-existing)
  std::size_t imported = 0;
  std::size_t skipped_count = 0;
};

// Progress on stderr, only when it is a terminal: rows done of total and the rate.
class Progress {
 public:
  Progress(std::string what, std::size_t total)
      : what_(std::move(what)),
        total_(total),
        tty_(::isatty(STDERR_FILENO) == 1),
        start_(std::chrono::steady_clock::now()) {}

  void Update(std::size_t done) const {
    if (!tty_ || total_ == 0) return;
    constexpr std::size_t kWidth = 30;
    const std::size_t filled = done * kWidth / total_;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const auto rate =
        static_cast<std::int64_t>(seconds > 0 ? static_cast<double>(done) / seconds : 0);
    std::cerr << "\r" << what_ << " [" << std::string(filled, '#')
              << std::string(kWidth - filled, '.') << "] " << done << "/" << total_ << " rows, "
              << rate << " rows/s " << std::flush;
  }
  void Done() const {
    if (tty_ && total_ > 0) std::cerr << "\n";
  }

 private:
  std::string what_;
  std::size_t total_;
  bool tty_;
  std::chrono::steady_clock::time_point start_;
};

Status ReadRows(HubClient& hub, const ImportFlags& f, ImportState& st) {
  NCBNET_ASSIGN_OR_RETURN(FileFormat format, FormatOf(f.format, f.file));
  NCBNET_ASSIGN_OR_RETURN(std::string text, ReadFile(f.file));
  ParsedFile parsed;
  if (format == FileFormat::kCsv) {
    NCBNET_ASSIGN_OR_RETURN(CsvTable table, ReadCsv(text));
    NCBNET_ASSIGN_OR_RETURN(json schema, FetchSchema(hub, f.db));
    NCBNET_ASSIGN_OR_RETURN(parsed, CsvRecords(table, schema));
  } else {
    NCBNET_RETURN_IF_ERROR(FetchSchema(hub, f.db).status());  // an unknown database fails here
    parsed = JsonRecords(ReadJsonLines(text));
  }
  st.problems = std::move(parsed.problems);
  std::map<std::string, int> external_ids;
  for (FileRow& row : parsed.rows) {
    const auto ext = row.value.find("external_id");
    if (ext != row.value.end() && ext->is_string()) {
      const auto [it, fresh] = external_ids.emplace(ext->get<std::string>(), row.line);
      if (!fresh) {
        st.problems.push_back({row.line, "duplicate_external_id",
                               "external_id also on line " + std::to_string(it->second)});
        continue;
      }
    }
    st.rows.push_back(std::move(row));
  }
  st.skipped.assign(st.rows.size(), false);
  return Status::Ok();
}

json BatchBody(const std::vector<const FileRow*>& rows, bool dry_run) {
  json list = json::array();
  for (const FileRow* r : rows) list.push_back(r->value);
  return {{"records", std::move(list)}, {"dry_run", dry_run}};
}

// The rows the hub rejected in a 422 batch_rejected reply, by position in the batch.
std::vector<std::pair<std::size_t, FileProblem>> Rejected(const HubClient::Reply& reply,
                                                          const std::vector<const FileRow*>& rows) {
  std::vector<std::pair<std::size_t, FileProblem>> out;
  for (const json& r : reply.body.value("rejected", json::array())) {
    const std::size_t i = r.value("index", std::size_t{0});
    if (i >= rows.size()) continue;
    out.push_back({i, {rows[i]->line, r.value("code", ""), r.value("message", "")}});
  }
  return out;
}

bool IsBatchRejected(const HubClient::Reply& reply) {
  return reply.status == 422 && StatusFromReply(reply).reason() == "batch_rejected";
}

// Pass 1: every row through the hub's validation, nothing written.
Status Validate(HubClient& hub, const ImportFlags& f, ImportState& st) {
  const Progress progress("validating " + f.db, st.rows.size());
  for (std::size_t begin = 0; begin < st.rows.size(); begin += kBatch) {
    const std::size_t end = std::min(st.rows.size(), begin + kBatch);
    std::vector<const FileRow*> rows;
    for (std::size_t i = begin; i < end; ++i) rows.push_back(&st.rows[i]);
    NCBNET_ASSIGN_OR_RETURN(
        HubClient::Reply reply,
        hub.Call("POST", "/v1/records/" + f.db + "/batch", BatchBody(rows, true)));
    if (IsBatchRejected(reply)) {
      for (auto& [i, problem] : Rejected(reply, rows)) {
        if (f.skip_existing && problem.code == "record_exists") {
          st.skipped[begin + i] = true;
          ++st.skipped_count;
        } else {
          st.problems.push_back(std::move(problem));
        }
      }
    } else if (reply.status >= 400) {
      return StatusFromReply(reply);
    }
    progress.Update(end);
  }
  progress.Done();
  return Status::Ok();
}

// Pass 2: the rows not skipped, batch by batch. With --skip-existing, a batch refused only for
// records that exist by now is sent again without them.
Status Import(HubClient& hub, const ImportFlags& f, ImportState& st) {
  std::vector<const FileRow*> pending;
  for (std::size_t i = 0; i < st.rows.size(); ++i) {
    if (!st.skipped[i]) pending.push_back(&st.rows[i]);
  }
  const Progress progress("importing " + f.db, pending.size());
  std::size_t done = 0;
  for (std::size_t begin = 0; begin < pending.size(); begin += kBatch) {
    std::vector<const FileRow*> rows(
        pending.begin() + static_cast<std::ptrdiff_t>(begin),
        pending.begin() + static_cast<std::ptrdiff_t>(std::min(pending.size(), begin + kBatch)));
    const std::size_t size = rows.size();
    while (!rows.empty()) {
      Result<HubClient::Reply> reply =
          hub.Call("POST", "/v1/records/" + f.db + "/batch", BatchBody(rows, false));
      const int first_line = rows.front()->line;
      if (!reply.ok() || (reply->status >= 400 && !IsBatchRejected(*reply))) {
        const Status s = reply.ok() ? StatusFromReply(*reply) : reply.status();
        return {s.code(), s.reason(),
                s.message() + " (batch from line " + std::to_string(first_line) + "; " +
                    std::to_string(st.imported) +
                    " row(s) imported before it stay in; re-run with --skip-existing)"};
      }
      if (reply->status < 400) {
        st.imported += rows.size();
        break;
      }
      std::vector<bool> drop(rows.size(), false);
      for (auto& [i, problem] : Rejected(*reply, rows)) {
        if (!f.skip_existing || problem.code != "record_exists") {
          st.problems.push_back(std::move(problem));
        } else {
          drop[i] = true;
        }
      }
      if (!st.problems.empty()) return Status::Ok();  // reported by the caller
      std::vector<const FileRow*> kept;
      for (std::size_t i = 0; i < rows.size(); ++i) {
        if (drop[i]) {
          ++st.skipped_count;
        } else {
          kept.push_back(rows[i]);
        }
      }
      rows = std::move(kept);
    }
    done += size;
    progress.Update(done);
  }
  progress.Done();
  return Status::Ok();
}

json Summary(const ImportFlags& f, const ImportState& st) {
  json rejected = json::array();
  for (const FileProblem& p : st.problems) {
    rejected.push_back({{"line", p.line}, {"code", p.code}, {"message", p.message}});
  }
  return {{"database", f.db},
          {"file", f.file},
          {"rows", st.rows.size()},
          {"imported", st.imported},
          {"skipped", st.skipped_count},
          {"rejected", rejected}};
}

Status ReportRejected(const ImportFlags& f, ImportState& st, const char* what) {
  std::stable_sort(st.problems.begin(), st.problems.end(),
                   [](const FileProblem& a, const FileProblem& b) { return a.line < b.line; });
  if (f.json) {
    PrintJson(Summary(f, st));
  } else {
    for (const FileProblem& p : st.problems) {
      std::cerr << Printable(f.file) << ":" << p.line << ": " << Printable(p.code) << ": "
                << Printable(p.message) << "\n";
    }
  }
  return Status::FailedPrecondition(
      "import_rejected", std::to_string(st.problems.size()) + " row(s) rejected; " + what);
}

Status Run(const ImportFlags& f) {
  NCBNET_RETURN_IF_ERROR(CheckDatabaseCode(f.db));
  NCBNET_ASSIGN_OR_RETURN(HubClient hub, HubClient::Connect(f.client));
  ImportState st;
  NCBNET_RETURN_IF_ERROR(ReadRows(hub, f, st));
  NCBNET_RETURN_IF_ERROR(Validate(hub, f, st));
  if (!st.problems.empty()) return ReportRejected(f, st, "nothing imported");
  NCBNET_RETURN_IF_ERROR(Import(hub, f, st));
  if (!st.problems.empty()) {
    return ReportRejected(f, st,
                          (std::to_string(st.imported) + " imported before them stay in").c_str());
  }
  if (f.json) {
    PrintJson(Summary(f, st));
  } else {
    std::cout << "imported " << st.imported << " record(s) into " << f.db;
    if (st.skipped_count > 0) std::cout << "; " << st.skipped_count << " already there, skipped";
    std::cout << "\n";
  }
  return Status::Ok();
}

}  // namespace

void RegisterRecordsImport(CLI::App& records, int& exit_code) {
  auto f = std::make_shared<ImportFlags>();
  auto* cmd = records.add_subcommand(
      "import", "Import a CSV or JSON-lines file: all rows valid, or nothing imported");
  cmd->add_option("db", f->db, "The database, e.g. SLTD")->required();
  cmd->add_option("file", f->file, "The file: .csv (header row of field names) or .jsonl")
      ->required();
  cmd->add_option("--format", f->format, "csv or jsonl (default: by the file's extension)");
  cmd->add_flag("--skip-existing", f->skip_existing,
                "Rows whose external_id is already there count as imported (safe re-runs)");
  cmd->add_flag("--json", f->json, "Print a JSON summary");
  AddClientFlags(cmd, f->client);
  cmd->callback([f, &exit_code] {
    if (Status s = Run(*f); !s.ok()) exit_code = Fail(s);
  });
}

}  // namespace ncbnet::apps
