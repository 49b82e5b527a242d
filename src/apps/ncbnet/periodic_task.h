// A task the hub process runs every `period` on a thread of its own, beside the HTTPS server:
// message purges (purge.h), index snapshots (hub_runner.cc). The first run waits one period
// too, so a hub that restarts often (or is killed) does not add a run to every start.
//
// Thread safety: the constructor starts the thread and the destructor stops and joins it
// (waiting for a run in progress); what `task` uses must outlive the PeriodicTask.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace ncbnet::apps {

class PeriodicTask {
 public:
  PeriodicTask(std::chrono::milliseconds period, std::function<void()> task);
  ~PeriodicTask();
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

 private:
  void Run();

  const std::chrono::milliseconds period_;
  const std::function<void()> task_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace ncbnet::apps
