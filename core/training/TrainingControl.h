#pragma once
// Cancel and pause for a training run, shared by whoever asks (the GUI thread, a signal
// handler's poll) and the thread that trains. Every change happens under the mutex the
// waiter sleeps on, so a cancel while paused always wakes it.
#include <atomic>
#include <condition_variable>
#include <mutex>

namespace latentlab {

class TrainingControl {
public:
    void requestCancel();
    void setPaused(bool paused);
    bool isCancelled() const { return cancel_; }
    bool isPaused() const { return paused_; }
    // Blocks while paused; false when cancelled (before or during the pause).
    bool waitWhilePaused();

private:
    std::atomic<bool> cancel_{false};
    std::atomic<bool> paused_{false};
    std::mutex mutex_;
    std::condition_variable changed_;
};

} // namespace latentlab
