#include "store/sqlite/checkpointer.h"

#include <utility>

namespace ncbnet::store::internal {

Result<std::unique_ptr<Checkpointer>> Checkpointer::Start(const std::string& path,
                                                          std::chrono::milliseconds busy_timeout) {
  NCBNET_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn,
                          Connection::Open(path, ConnectionMode::kWriter, busy_timeout));
  return std::unique_ptr<Checkpointer>(new Checkpointer(std::move(conn)));
}

Checkpointer::Checkpointer(std::unique_ptr<Connection> conn)
    : conn_(std::move(conn)), thread_([this] { Run(); }) {}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

bool Checkpointer::OnCommit() {
  bool nudge = false;
  bool finish = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    nudge = ++commits_since_ >= kNudgeCommits;
    finish = ++commits_ % kFinishEvery == 0;
  }
  if (nudge) cv_.notify_one();
  return finish;
}

Status Checkpointer::FinishInCommitPath(Connection& writer) {
  return writer.Control("PRAGMA wal_checkpoint(PASSIVE)");
}

void Checkpointer::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait_for(lock, kInterval, [this] { return stop_ || commits_since_ >= kNudgeCommits; });
    const bool stopping = stop_;
    const bool work = commits_since_ > 0;
    commits_since_ = 0;
    if (work || stopping) {
      lock.unlock();
      CheckpointNow();
      lock.lock();
    }
    if (stopping) return;
  }
}

void Checkpointer::CheckpointNow() {
  // A failure (say, the disk is full) leaves the pages in the WAL, where they are safe; the
  // next round tries again.
  static_cast<void>(conn_->Control("PRAGMA wal_checkpoint(PASSIVE)"));
}

}  // namespace ncbnet::store::internal
