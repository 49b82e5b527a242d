#include "store/group_commit.h"

#include <algorithm>
#include <array>
#include <condition_variable>

#include "core/check.h"

namespace ncbnet::store::internal {
namespace {

// A group commit runs at most this many callbacks in one transaction, so that one flush is
// shared widely but no caller waits behind an unbounded queue of others' callbacks.
constexpr std::size_t kMaxGroupSize = 64;

// Runs a callback; an exception (ours never throw, but a library called inside may) becomes
// kInternal instead of unwinding through the leader, which would strand the writer queue.
Status RunCallback(const Store::TxFn& fn, Transaction& tx) {
  try {
    return fn(tx);
  } catch (...) {
    // The exception's text may quote data; operators get a fixed message.
    return Status::Internal("store_error", "a Write() callback threw an exception");
  }
}

}  // namespace

bool HookedTransaction::HasCommitHook(std::string_view name) const {
  return hooks_ != nullptr && std::any_of(hooks_->begin(), hooks_->end(),
                                          [&](const auto& hook) { return hook.first == name; });
}

void HookedTransaction::AddCommitHook(std::string_view name, CommitHook fn) {
  if (hooks_ != nullptr && !HasCommitHook(name)) hooks_->emplace_back(name, std::move(fn));
}

// One Write() waiting in the queue. It lives on the caller's stack until Write() returns; the
// leader sets `status`, then `done` under the queue mutex.
struct GroupCommit::PendingWrite {
  explicit PendingWrite(const Store::TxFn& f) : fn(f) {}
  const Store::TxFn& fn;
  Status status;
  bool done = false;
  std::condition_variable cv;
};

Status GroupCommit::Write(const Store::TxFn& fn) {
  // Callbacks run on the leader's thread while its writer holds the front of the queue: a
  // Write() from inside one would wait for itself.
  if (leader_thread_.load() == std::this_thread::get_id()) {
    return Status::FailedPrecondition("nested_write", "Write() called inside a Write() callback");
  }
  PendingWrite self(fn);
  std::unique_lock<std::mutex> lock(mu_);
  queue_.push_back(&self);
  self.cv.wait(lock, [&] { return self.done || queue_.front() == &self; });
  if (self.done) return self.status;  // a leader ran it in its group

  // Lead: take what is queued now (no waiting for more) and leave it queued, so that writers
  // arriving meanwhile wait behind it.
  std::array<PendingWrite*, kMaxGroupSize> group{};
  const std::size_t size = std::min(queue_.size(), kMaxGroupSize);
  std::copy_n(queue_.begin(), size, group.begin());
  lock.unlock();
  leader_thread_.store(std::this_thread::get_id());
  const std::size_t finished = RunGroup(Group(group.data(), size));
  leader_thread_.store(std::thread::id());
  lock.lock();
  NCBNET_CHECK(finished >= 1 && finished <= size, "a group finishes at least its leader");
  for (std::size_t i = 0; i < finished; ++i) {
    PendingWrite* w = queue_.front();
    queue_.pop_front();
    w->done = true;
    w->cv.notify_one();  // under the mutex: once it is released, `w` may be gone
  }
  if (!queue_.empty()) queue_.front()->cv.notify_one();  // the next leader
  return self.status;
}

// Runs `group`, the front of the queue in order, in one transaction: each callback inside its
// own savepoint, so that a failed one is undone alone, then one COMMIT. Sets the status of
// every writer it finishes and returns how many that is, from the front: all of them, unless
// the back end ended the transaction part-way, when the rest stay queued.
std::size_t GroupCommit::RunGroup(Group group) {
  const Status begin = writer_.Begin();
  if (!begin.ok()) {
    for (PendingWrite* w : group) w->status = begin;
    writer_.EndFailedWrite(begin);
    return group.size();
  }
  std::size_t ran = 0;
  bool intact = true;
  CommitHooks hooks;
  while (intact && ran < group.size()) intact = RunInSavepoint(*group[ran++], hooks);
  const Group finished = group.first(ran);
  if (intact) {
    CommitGroup(finished, hooks);
    return ran;
  }
  // Everything before the failed callback went with the transaction: none of it committed,
  // although those callbacks succeeded, so they fail too (they are not run again).
  for (PendingWrite* w : finished) {
    if (w->status.ok()) {
      w->status = Status::Unavailable(
          "store_busy", "another write of the same group commit ended the transaction");
    }
  }
  rollbacks_.fetch_add(static_cast<std::int64_t>(ran));
  writer_.EndFailedWrite(finished.back()->status);
  return ran;
}

// Runs one callback between SAVEPOINT and RELEASE, or ROLLBACK TO if it fails, and sets its
// status. Returns false if the transaction did not survive (then w.status is an error).
bool GroupCommit::RunInSavepoint(PendingWrite& w, CommitHooks& hooks) {
  w.status = writer_.Control("SAVEPOINT w");
  if (!w.status.ok()) return false;
  w.status = RunCallback(w.fn, *writer_.NewTransaction(&hooks));
  if (!writer_.InTransaction()) {
    if (w.status.ok()) {
      w.status = Status::Internal("store_error", "the transaction was rolled back");
    }
    return false;
  }
  if (w.status.ok()) w.status = writer_.CheckCallback();
  if (w.status.ok()) {
    w.status = writer_.Control("RELEASE w");
    return w.status.ok();
  }
  return writer_.Control("ROLLBACK TO w").ok() && writer_.Control("RELEASE w").ok();
}

// Commits the savepoints that were released: the commit hooks, then one COMMIT. If a hook or
// COMMIT fails, every callback that succeeded gets its failure. A group in which every
// callback failed has nothing to commit and is rolled back.
void GroupCommit::CommitGroup(Group group, const CommitHooks& hooks) {
  const auto succeeded = static_cast<std::int64_t>(
      std::count_if(group.begin(), group.end(), [](PendingWrite* w) { return w->status.ok(); }));
  const auto size = static_cast<std::int64_t>(group.size());
  if (succeeded == 0) {
    rollbacks_.fetch_add(size);
    writer_.EndFailedWrite(Status::Ok());
    return;
  }
  Status commit = RunCommitHooks(hooks);
  if (commit.ok()) commit = writer_.Commit();
  if (!commit.ok()) {
    for (PendingWrite* w : group) {
      if (w->status.ok()) w->status = commit;
    }
    rollbacks_.fetch_add(size);
    writer_.EndFailedWrite(commit);
    return;
  }
  commits_.fetch_add(1);
  writer_.AfterCommit();
  rollbacks_.fetch_add(size - succeeded);
  if (succeeded >= 2) grouped_writes_.fetch_add(succeeded);
}

Status GroupCommit::RunCommitHooks(const CommitHooks& hooks) {
  const std::unique_ptr<Transaction> tx = writer_.NewTransaction(nullptr);
  for (const auto& [name, fn] : hooks) {
    NCBNET_RETURN_IF_ERROR(RunCallback(fn, *tx));
    if (!writer_.InTransaction()) {
      return Status::Internal("store_error", "the transaction was rolled back");
    }
  }
  return Status::Ok();
}

void GroupCommit::FillStats(StoreStats& stats) {
  stats.commits = commits_.load();
  stats.rollbacks = rollbacks_.load();
  stats.grouped_writes = grouped_writes_.load();
  std::lock_guard<std::mutex> lock(mu_);
  stats.queued_writes = static_cast<std::int64_t>(queue_.size());
}

}  // namespace ncbnet::store::internal
