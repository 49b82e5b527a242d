// The store: ncbnet's one source of truth. One interface; SQLite behind it now
// (store/sqlite/), PostgreSQL later. Nothing above store/ may know which back end runs, so
// callers write portable SQL: `?` placeholders (a back end may rewrite them), standard types
// (TEXT, INTEGER, BLOB, REAL), no back-end functions; INSERT ... ON CONFLICT (...) DO NOTHING or
// DO UPDATE SET c = excluded.c where a clash is expected (never INSERT OR ...). Timestamps are
// INTEGER milliseconds since the Unix epoch. Text is UTF-8 without NUL, and orders bytewise.
//
// A statement that fails leaves the rest of its callback's transaction unusable on some back
// ends (PostgreSQL refuses every later statement): a callback returns the error it gets, and
// if it goes on regardless, its changes are undone and its Write() fails.
//
// Work happens in transactions handed to a callback: Write() commits if and only if the
// callback returns OK, and returns only after the commit is durable (SQLite: WAL with
// synchronous=FULL). Writes are serialised; reads run concurrently with each other and with
// a write, seeing the last committed state.
//
// Group commit: concurrent Write() calls may share one transaction and one durable commit.
// Their callbacks then run one after another, in the order the calls arrived, on the thread of
// one of the callers, each seeing the changes of those before it; each callback's changes are
// kept or undone on their own (a savepoint each), so a failing callback leaves no trace and
// does not affect the others. Callbacks must therefore not rely on running on their caller's
// thread (thread-locals, locks the caller holds).
//
// Thread safety: Store is safe to use from any number of threads. A Transaction belongs to
// the callback it was passed to and must not escape it.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/status.h"

namespace ncbnet::store {

struct Blob {
  std::string bytes;
};

// A SQL parameter or column value.
class Value {
 public:
  Value() : v_(nullptr) {}
  Value(std::nullptr_t) : v_(nullptr) {}              // NOLINT(google-explicit-constructor)
  Value(int v) : v_(static_cast<std::int64_t>(v)) {}  // NOLINT(google-explicit-constructor)
  Value(std::int64_t v) : v_(v) {}                    // NOLINT(google-explicit-constructor)
  Value(double v) : v_(v) {}                          // NOLINT(google-explicit-constructor)
  Value(std::string v) : v_(std::move(v)) {}          // NOLINT(google-explicit-constructor)
  Value(std::string_view v) : v_(std::string(v)) {}   // NOLINT(google-explicit-constructor)
  Value(const char* v) : v_(std::string(v)) {}        // NOLINT(google-explicit-constructor)
  Value(Blob v) : v_(std::move(v)) {}                 // NOLINT(google-explicit-constructor)
  template <typename T>
  Value(const std::optional<T>& v) : Value() {  // NOLINT(google-explicit-constructor)
    if (v) *this = Value(*v);
  }

  bool is_null() const { return std::holds_alternative<std::nullptr_t>(v_); }
  bool is_int() const { return std::holds_alternative<std::int64_t>(v_); }
  bool is_real() const { return std::holds_alternative<double>(v_); }
  bool is_text() const { return std::holds_alternative<std::string>(v_); }
  bool is_blob() const { return std::holds_alternative<Blob>(v_); }

  // Accessors return a neutral value (0, "") when the type differs; check first where the
  // difference matters.
  std::int64_t AsInt() const { return is_int() ? std::get<std::int64_t>(v_) : 0; }
  double AsReal() const { return is_real() ? std::get<double>(v_) : 0.0; }
  const std::string& AsText() const;  // text or blob bytes
  std::optional<std::int64_t> AsOptionalInt() const {
    return is_int() ? std::optional<std::int64_t>(AsInt()) : std::nullopt;
  }
  std::optional<std::string> AsOptionalText() const {
    return is_null() ? std::nullopt : std::optional<std::string>(AsText());
  }

 private:
  std::variant<std::nullptr_t, std::int64_t, double, std::string, Blob> v_;
};

using Row = std::vector<Value>;

// Back ends check every statement's parameters with it: text must be UTF-8 without NUL (what
// every back end can hold). Errors: kInvalidArgument "invalid_text".
Status CheckTextParams(const std::vector<Value>& params);
using Params = std::initializer_list<Value>;

class Transaction {
 public:
  virtual ~Transaction() = default;

  // Runs one statement. Returns the number of rows it changed. Errors: kAlreadyExists
  // "constraint_violation" for a unique/primary key clash, kFailedPrecondition
  // "read_only_transaction" for a write in Read(), kInternal otherwise.
  virtual Result<std::int64_t> Exec(std::string_view sql, const std::vector<Value>& params) = 0;
  Result<std::int64_t> Exec(std::string_view sql, Params params = {}) {
    return Exec(sql, std::vector<Value>(params));
  }

  // Runs a query and returns every row.
  virtual Result<std::vector<Row>> Query(std::string_view sql,
                                         const std::vector<Value>& params) = 0;
  Result<std::vector<Row>> Query(std::string_view sql, Params params = {}) {
    return Query(sql, std::vector<Value>(params));
  }

  // The first row, or nullopt when there is none.
  Result<std::optional<Row>> QueryOne(std::string_view sql, Params params = {});

  // Commit hooks: work that a commit needs once however many callbacks share it (the audit
  // log signs its head once per commit, not once per entry). AddCommitHook() registers `fn`
  // under `name` unless a hook of that name is registered already; every hook then runs once,
  // in the order registered, after the last callback of the commit and before it is made
  // durable, in the same transaction. A hook stays registered even if the callback that added
  // it fails. If a hook fails, nothing of the commit is kept and every Write() sharing it
  // fails with the hook's error. In Read() transactions hooks never run.
  using CommitHook = std::function<Status(Transaction&)>;
  virtual bool HasCommitHook(std::string_view name) const = 0;
  virtual void AddCommitHook(std::string_view name, CommitHook fn) = 0;
};

struct StoreStats {
  std::string backend;  // "sqlite"
  std::int64_t size_bytes = 0;
  std::int64_t schema_version = 0;
  std::int64_t commits = 0;         // durable commits, each of one or more Write() calls
  std::int64_t rollbacks = 0;       // Write() calls whose callback ran and that committed nothing
  std::int64_t grouped_writes = 0;  // Write() calls committed in a commit shared with others
  std::int64_t queued_writes = 0;   // Write() calls waiting or running now
};

class Store {
 public:
  virtual ~Store() = default;

  using TxFn = std::function<Status(Transaction&)>;

  // Runs `fn` in a write transaction, possibly shared with concurrent Write() calls (see
  // above); commits `fn`'s changes iff it returns OK, and returns its Status or the commit's
  // failure. Returns only after the commit is durable. A Write() from inside a callback is
  // refused (kFailedPrecondition "nested_write"). Back-end errors: kUnavailable "store_busy"
  // also when another callback of the same group ended the shared transaction, in which case
  // nothing of this call was committed and it may be retried.
  virtual Status Write(const TxFn& fn) = 0;

  // Runs `fn` in a read-only snapshot.
  virtual Status Read(const TxFn& fn) = 0;

  virtual StoreStats Stats() = 0;

  // For several processes on one store (hub nodes on one PostgreSQL database). Publish() tells
  // the other processes that `topic` changed; call it after the commit that changed it.
  // Subscribe() has `fn` called, on a thread of the store's, with each topic another process
  // published (once per Publish(), in order), with "" after commits of other processes
  // (several may be told at once), and
  // with "*" when notifications may have been missed (at start, after a reconnection): then
  // anything may have changed. A store that one process alone uses (SQLite) has nobody to tell
  // or hear: both do nothing. Subscribe() returns an id for Unsubscribe(), after which `fn`
  // is not running and is never called again; `fn` must not call Unsubscribe().
  virtual void Publish(std::string_view topic) { static_cast<void>(topic); }
  virtual int Subscribe(std::function<void(const std::string& topic)> fn) {
    static_cast<void>(fn);
    return 0;
  }
  virtual void Unsubscribe(int id) { static_cast<void>(id); }

  // The store server's clock (ms since the Unix epoch), which hub nodes compare theirs with: a
  // node whose clock is off refuses to serve. nullopt for a store without a clock of its own
  // (SQLite: this process's is the only one).
  virtual Result<std::optional<std::int64_t>> ServerTimeMillis() {
    return std::optional<std::int64_t>();
  }

  // Whether a Write() could commit now, for readiness probes (GET /readyz), which load
  // balancers send every second or so to every node: cheap, never a write transaction, and a
  // back end may answer from a probe of its own up to a second old. OK, or kUnavailable
  // "store_unavailable" (the store cannot be reached, or its writer is failing: a full disk),
  // or kFailedPrecondition "store_read_only" (connected to a standby, not the primary).
  virtual Status CheckWritable() = 0;
};

}  // namespace ncbnet::store
