#include "apps/ncbnet/periodic_task.h"

namespace ncbnet::apps {

PeriodicTask::PeriodicTask(std::chrono::milliseconds period, std::function<void()> task)
    : period_(period), task_(std::move(task)) {
  thread_ = std::thread([this] { Run(); });
}

PeriodicTask::~PeriodicTask() {
  {
    const std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void PeriodicTask::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    if (wake_.wait_for(lock, period_, [this] { return stop_; })) return;
    lock.unlock();
    task_();
    lock.lock();
  }
}

}  // namespace ncbnet::apps
