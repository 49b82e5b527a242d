// name_eval: builds the labelled evaluation set (index/name_eval_set.h), indexes its persons in
// a NameIndex, runs its queries and reports, per query kind and overall, recall@1 at the
// default threshold and with none, recall at the threshold (a right ref among the results)
// and the false-positive rate on near-namesakes; then the search latency (median, p99) and
// the index's build time. With --out it also writes the normalised persons and queries as TSV
// for PostgreSQL (bench/names_vs_pg_trgm.sh); with --score-pg it scores PostgreSQL's answers.
//
// Usage: name_eval [--persons N] [--queries M] [--seed S] [--out DIR] [--score-pg FILE]
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "index/name_eval_set.h"
#include "index/name_index.h"
#include "text/name_tokens.h"

namespace ncbnet::index::eval {
namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::size_t persons = 100000;
  std::size_t queries = 2000;
  std::uint64_t seed = 1;
  std::string out;
  std::string score_pg;
  bool show_misses = std::getenv("NAME_EVAL_MISSES") != nullptr;
};

struct Tally {
  std::size_t n = 0, top1 = 0, top1_any = 0, at_threshold = 0, false_positive = 0;
};

std::string Normalised(const std::string& name) {
  Result<std::vector<std::string>> t = text::NameTokens(name);
  std::string out;
  if (!t.ok()) return out;
  for (const std::string& w : *t) out += (out.empty() ? "" : " ") + w;
  return out;
}

// The process's resident set in MiB, from /proc (Linux), or -1.
long ResidentMiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmRSS:")) return std::strtol(line.c_str() + 6, nullptr, 10) / 1024;
  }
  return -1;
}

bool Contains(const std::vector<std::uint64_t>& v, std::uint64_t ref) {
  return std::find(v.begin(), v.end(), ref) != v.end();
}

void PrintTallies(const std::map<std::string, Tally>& tallies, bool with_any) {
  std::printf("%-16s %6s %9s %9s %9s %9s\n", "kind", "n", "recall@1", with_any ? "r@1 any" : "",
              "r@thresh", "FP");
  for (const auto& [kind, t] : tallies) {
    const double n = t.n == 0 ? 1 : static_cast<double>(t.n);
    if (kind.starts_with("namesake") || kind == "negatives") {
      std::printf("%-16s %6zu %9s %9s %9s %8.1f%%\n", kind.c_str(), t.n, "", "", "",
                  100.0 * static_cast<double>(t.false_positive) / n);
    } else {
      char any[16] = "";
      if (with_any) {
        std::snprintf(any, sizeof any, "%.1f%%", 100.0 * static_cast<double>(t.top1_any) / n);
      }
      std::printf("%-16s %6zu %8.1f%% %9s %8.1f%%\n", kind.c_str(), t.n,
                  100.0 * static_cast<double>(t.top1) / n, any,
                  100.0 * static_cast<double>(t.at_threshold) / n);
    }
  }
}

void WriteTsv(const EvalSet& set, const std::string& dir) {
  std::ofstream persons(dir + "/persons.tsv");
  for (const NamePerson& p : set.persons) {
    std::vector<std::string> seen;
    for (const std::string& name : p.names) {
      const std::string n = Normalised(name);
      if (n.empty() || std::find(seen.begin(), seen.end(), n) != seen.end()) {
        continue;
      }
      seen.push_back(n);
      persons << p.ref << '\t' << n << '\t' << (p.date_of_birth.empty() ? "\\N" : p.date_of_birth)
              << '\n';
    }
  }
  std::ofstream queries(dir + "/queries.tsv");
  for (const EvalQuery& q : set.queries) {
    queries << q.id << '\t' << Normalised(q.query.name) << '\t'
            << (q.query.date_of_birth.empty() ? "\\N" : q.query.date_of_birth) << '\n';
  }
}

// PostgreSQL's answers: lines "query id <TAB> top ref or empty".
int ScorePg(const EvalSet& set, const std::string& path) {
  std::ifstream in(path);
  std::map<std::uint64_t, std::uint64_t> top;
  std::string line;
  while (std::getline(in, line)) {
    const std::size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    // COPY writes a query without rows as \N, which strtoull reads as 0: no answer.
    top[std::strtoull(line.c_str(), nullptr, 10)] =
        std::strtoull(line.c_str() + tab + 1, nullptr, 10);
  }
  std::map<std::string, Tally> tallies;
  for (const EvalQuery& q : set.queries) {
    const auto it = top.find(q.id);
    const std::uint64_t ref = it == top.end() ? 0 : it->second;
    for (const std::string& k : {std::string(QueryKindName(q.kind)),
                                 std::string(IsNegative(q.kind) ? "negatives" : "positives")}) {
      Tally& t = tallies[k];
      ++t.n;
      if (IsNegative(q.kind)) {
        t.false_positive += ref != 0;
      } else {
        t.top1 += Contains(q.answers, ref);
        t.at_threshold += Contains(q.answers, ref);
      }
    }
  }
  std::printf("PostgreSQL pg_trgm (top row of name %% query, by similarity):\n");
  PrintTallies(tallies, false);
  return 0;
}

int Run(const Options& o) {
  const Clock::time_point g0 = Clock::now();
  const EvalSet set = Generate(o.persons, o.queries, o.seed);
  const double gen_s = std::chrono::duration<double>(Clock::now() - g0).count();
  if (!o.out.empty()) WriteTsv(set, o.out);
  if (!o.score_pg.empty()) return ScorePg(set, o.score_pg);

  NameIndex index;
  const Clock::time_point b0 = Clock::now();
  for (const NamePerson& p : set.persons) {
    const Status s = index.Add(p);
    if (!s.ok())
      std::fprintf(stderr, "add %llu: %s\n", static_cast<unsigned long long>(p.ref),
                   s.ToString().c_str());
  }
  const double build_s = std::chrono::duration<double>(Clock::now() - b0).count();
  const long rss_mib = ResidentMiB();
  const NameVisibility all = [](std::uint64_t) { return true; };

  std::map<std::string, Tally> tallies;
  std::vector<double> micros;
  for (int pass = 0; pass < 3; ++pass) {
    for (const EvalQuery& q : set.queries) {
      const Clock::time_point t0 = Clock::now();
      Result<std::vector<NameHit>> hits = index.Search(q.query, all);
      micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
      if (o.show_misses && micros.back() > 3000) {
        std::printf("SLOW %.0f us %s [%s]\n", micros.back(), QueryKindName(q.kind),
                    q.query.name.c_str());
      }
      if (pass > 0) continue;
      NameQuery any_q = q.query;
      any_q.threshold = 0.3;
      Result<std::vector<NameHit>> any = index.Search(any_q, all);
      if (!hits.ok() || !any.ok()) {
        std::fprintf(stderr, "query %llu: %s\n", static_cast<unsigned long long>(q.id),
                     hits.status().ToString().c_str());
        continue;
      }
      for (const std::string& k : {std::string(QueryKindName(q.kind)),
                                   std::string(IsNegative(q.kind) ? "negatives" : "positives")}) {
        Tally& t = tallies[k];
        ++t.n;
        if (IsNegative(q.kind)) {
          t.false_positive += !hits->empty();
          if (o.show_misses && !hits->empty() && k != "negatives") {
            const NamePerson& p = set.persons[hits->front().ref - 1];
            std::printf("FP %s [%s] dob=%s got=%s dob=%s %.3f\n", QueryKindName(q.kind),
                        q.query.name.c_str(), q.query.date_of_birth.c_str(), p.names.back().c_str(),
                        p.date_of_birth.c_str(), hits->front().score);
          }
          continue;
        }
        if (o.show_misses && k != "positives" &&
            (hits->empty() || !Contains(q.answers, hits->front().ref))) {
          std::printf("MISS %s [%s] dob=%s want=%s got=%s %.3f\n", QueryKindName(q.kind),
                      q.query.name.c_str(), q.query.date_of_birth.c_str(),
                      q.answers.empty() ? "?" : set.persons[q.answers[0] - 1].names.back().c_str(),
                      hits->empty() ? "-" : set.persons[hits->front().ref - 1].names.back().c_str(),
                      hits->empty() ? 0.0 : hits->front().score);
        }
        t.top1 += !hits->empty() && Contains(q.answers, hits->front().ref);
        t.top1_any += !any->empty() && Contains(q.answers, any->front().ref);
        t.at_threshold += std::any_of(hits->begin(), hits->end(),
                                      [&](const NameHit& h) { return Contains(q.answers, h.ref); });
      }
    }
  }
  std::sort(micros.begin(), micros.end());
  std::printf(
      "persons %zu, queries %zu, seed %llu; generated in %.1f s, indexed in %.1f s; resident "
      "%ld MiB (index and evaluation set)\n",
      set.persons.size(), set.queries.size(), static_cast<unsigned long long>(o.seed), gen_s,
      build_s, rss_mib);
  std::printf("ncbnet NameIndex (default threshold %.2f; r@1 any: threshold 0.3):\n",
              NameIndex::kDefaultThreshold);
  PrintTallies(tallies, true);
  std::printf("latency over %zu searches: median %.1f us, p90 %.1f us, p99 %.1f us, max %.1f us\n",
              micros.size(), micros[micros.size() / 2], micros[micros.size() * 9 / 10],
              micros[micros.size() * 99 / 100], micros.back());
  return 0;
}

}  // namespace
}  // namespace ncbnet::index::eval

int main(int argc, char** argv) {
  ncbnet::index::eval::Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--persons") {
      o.persons = std::strtoull(value.c_str(), nullptr, 10);
    } else if (flag == "--queries") {
      o.queries = std::strtoull(value.c_str(), nullptr, 10);
    } else if (flag == "--seed") {
      o.seed = std::strtoull(value.c_str(), nullptr, 10);
    } else if (flag == "--out") {
      o.out = value;
    } else if (flag == "--score-pg") {
      o.score_pg = value;
    } else {
      std::fprintf(stderr,
                   "usage: name_eval [--persons N] [--queries M] [--seed S] [--out DIR] "
                   "[--score-pg FILE]\n");
      return 2;
    }
  }
  return ncbnet::index::eval::Run(o);
}
