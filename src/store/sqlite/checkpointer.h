// Moves committed pages from the WAL into the database file on a thread of its own, so that
// no commit pays for it. SQLite's automatic checkpoint would make one unlucky committer copy up
// to 1000 pages and fsync the database file while every queued writer waits on it; writer
// connections therefore turn it off (PRAGMA wal_autocheckpoint=0, sqlite_connection.cc), and
// this runs PRAGMA wal_checkpoint(PASSIVE), which blocks neither readers nor the writer, after
// every kNudgeCommits commits and at least every kInterval while there are commits.
//
// A passive checkpoint under steady load never catches the last frames, and the WAL only
// starts over once every frame is copied, so it would grow without end; a RESTART checkpoint
// would fix that but stalls every writer for the whole copy (measured: 100 ms p99 spikes).
// Instead, every kFinishEvery commits the writer itself, between two groups, runs a passive
// checkpoint that finds almost everything already copied: it is short, it completes, and the
// next transaction starts the WAL over.
//
// Durability is unchanged: a commit is durable once its WAL frames are synced; a checkpoint
// only copies them, and syncs the database file before the WAL is reused.
//
// Thread safety: OnCommit() may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/status.h"
#include "store/sqlite/sqlite_connection.h"

namespace ncbnet::store::internal {

class Checkpointer {
 public:
  static constexpr int kNudgeCommits = 64;
  static constexpr std::chrono::milliseconds kInterval{500};
  // Every this many commits the leader finishes the checkpoint itself (FinishInCommitPath).
  static constexpr int kFinishEvery = 64;

  // Opens its own connection to `path` and starts the thread.
  static Result<std::unique_ptr<Checkpointer>> Start(const std::string& path,
                                                     std::chrono::milliseconds busy_timeout);
  // Stops the thread after a last checkpoint.
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Counts a commit; true when the caller (the writer, between groups) should now call
  // FinishInCommitPath() on its own connection.
  bool OnCommit();
  static Status FinishInCommitPath(Connection& writer);

 private:
  explicit Checkpointer(std::unique_ptr<Connection> conn);
  void Run();
  void CheckpointNow();

  std::unique_ptr<Connection> conn_;  // only the thread uses it
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;         // guarded by mu_
  int commits_since_ = 0;     // guarded by mu_
  std::int64_t commits_ = 0;  // guarded by mu_
  std::thread thread_;        // last: starts once the rest exists
};

}  // namespace ncbnet::store::internal
