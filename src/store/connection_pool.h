// A pool of a back end's read connections, opened lazily, at most `max` at once; a caller that
// finds them all in use waits for one. Internal to store/.
//
// Thread safety: Acquire() may be called from any number of threads; a Lease belongs to one.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "core/status.h"

namespace ncbnet::store::internal {

template <typename Conn>
class ConnectionPool {
 public:
  using Opener = std::function<Result<std::unique_ptr<Conn>>()>;

  ConnectionPool(int max, Opener open) : max_(max), open_(std::move(open)) {}
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // A connection on loan; it goes back to the pool when the lease ends, unless discarded.
  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<Conn> conn)
        : pool_(&pool), conn_(std::move(conn)) {}
    Lease(Lease&& other) noexcept : pool_(other.pool_), conn_(std::move(other.conn_)) {
      other.pool_ = nullptr;
    }
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (pool_ != nullptr) pool_->Release(std::move(conn_));
    }
    Conn& conn() { return *conn_; }
    // Closes the connection instead of returning it (a broken one, or one in a bad state).
    void Discard() { conn_.reset(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Conn> conn_;
  };

  Result<Lease> Acquire() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return !idle_.empty() || open_count_ < max_; });
    if (!idle_.empty()) {
      std::unique_ptr<Conn> conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(conn));
    }
    ++open_count_;
    lock.unlock();
    Result<std::unique_ptr<Conn>> conn = open_();
    if (!conn.ok()) {
      Release(nullptr);
      return conn.status();
    }
    return Lease(*this, std::move(conn).value());
  }

  // Closes every idle connection, so that the next readers open new ones.
  void CloseIdle() {
    std::lock_guard<std::mutex> lock(mu_);
    open_count_ -= static_cast<int>(idle_.size());
    idle_.clear();
  }

 private:
  void Release(std::unique_ptr<Conn> conn) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (conn != nullptr) {
        idle_.push_back(std::move(conn));
      } else {
        --open_count_;
      }
    }
    cv_.notify_one();
  }

  const int max_;
  const Opener open_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;  // guarded by mu_
  int open_count_ = 0;                       // guarded by mu_
};

}  // namespace ncbnet::store::internal
