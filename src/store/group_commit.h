// Group commit for a back end with one writer connection (LevelDB's DBImpl::Write): each
// Write() joins a queue; the writer at its front leads, takes up to 64 queued writers (without
// waiting for more), runs their callbacks in queue order on its own thread in one transaction,
// each between SAVEPOINT and RELEASE (ROLLBACK TO if it fails or throws), runs the commit
// hooks, commits once (one durable flush), then wakes them with their statuses and hands the
// lead to the next writer. If the back end ends the transaction part-way (an I/O error, a lost
// connection), the callbacks run before it in that group fail with kUnavailable "store_busy"
// and nothing of them is kept. Used by store/sqlite/ and store/postgres/; internal to store/.
//
// Thread safety: GroupCommit::Write() may be called from any number of threads; it alone
// drives the GroupWriter, from one thread at a time.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace ncbnet::store::internal {

// The commit hooks of one group commit (Transaction::AddCommitHook), in registration order.
using CommitHooks = std::vector<std::pair<std::string, Transaction::CommitHook>>;

// A Transaction that registers commit hooks in its group's list (none: reads, and the hooks
// themselves, which cannot add more). Back ends derive their transactions from it.
class HookedTransaction : public Transaction {
 public:
  explicit HookedTransaction(CommitHooks* hooks) : hooks_(hooks) {}
  bool HasCommitHook(std::string_view name) const override;
  void AddCommitHook(std::string_view name, CommitHook fn) override;

 private:
  CommitHooks* const hooks_;
};

// A back end's writer connection, as the group commit drives it.
class GroupWriter {
 public:
  virtual ~GroupWriter() = default;
  // Opens the connection if it is closed, and begins a write transaction.
  virtual Status Begin() = 0;
  // Runs one statement of the store's own: SAVEPOINT w, RELEASE w, ROLLBACK TO w, COMMIT.
  virtual Status Control(const char* sql) = 0;
  // True while the transaction that Begin() opened is still open.
  virtual bool InTransaction() const = 0;
  // Checks a callback's changes before its savepoint is released (SQLite: deferred foreign
  // keys, which would otherwise fail the COMMIT of the whole group).
  virtual Status CheckCallback() { return Status::Ok(); }
  // Makes the transaction durable. Default: COMMIT.
  virtual Status Commit() { return Control("COMMIT"); }
  // A transaction over the writer for one callback, registering hooks in `hooks` (or null).
  virtual std::unique_ptr<Transaction> NewTransaction(CommitHooks* hooks) = 0;
  // After a durable COMMIT, between groups.
  virtual void AfterCommit() {}
  // Ends a failed transaction and leaves nothing of it behind, closing the connection if it
  // cannot; `cause` is the failure, so that a back end can drop a connection it no longer
  // trusts (a failed fsync, a broken socket).
  virtual void EndFailedWrite(const Status& cause) = 0;
};

class GroupCommit {
 public:
  explicit GroupCommit(GroupWriter& writer) : writer_(writer) {}
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Store::Write()'s contract (store.h).
  Status Write(const Store::TxFn& fn);

  // Fills commits, rollbacks, grouped_writes and queued_writes.
  void FillStats(StoreStats& stats);

 private:
  struct PendingWrite;
  using Group = std::span<PendingWrite* const>;

  std::size_t RunGroup(Group group);
  bool RunInSavepoint(PendingWrite& w, CommitHooks& hooks);
  void CommitGroup(Group group, const CommitHooks& hooks);
  Status RunCommitHooks(const CommitHooks& hooks);

  GroupWriter& writer_;
  // Only the leader, the writer at the front, touches writer_ and runs callbacks; it stays at
  // the front until its group is finished, so there is one at a time.
  std::mutex mu_;
  std::deque<PendingWrite*> queue_;  // guarded by mu_
  std::atomic<std::thread::id> leader_thread_{};

  std::atomic<std::int64_t> commits_{0};
  std::atomic<std::int64_t> rollbacks_{0};
  std::atomic<std::int64_t> grouped_writes_{0};
};

}  // namespace ncbnet::store::internal
