#include "core/training/TrainingControl.h"

namespace latentlab {

void TrainingControl::requestCancel()
{
    {
        std::lock_guard<std::mutex> lock(mutex_);
        cancel_ = true;
    }
    changed_.notify_all();
}

void TrainingControl::setPaused(bool paused)
{
    {
        std::lock_guard<std::mutex> lock(mutex_);
        paused_ = paused;
    }
    changed_.notify_all();
}

bool TrainingControl::waitWhilePaused()
{
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return !paused_ || cancel_; });
    return !cancel_;
}

} // namespace latentlab
