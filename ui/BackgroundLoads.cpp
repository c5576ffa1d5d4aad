#include "ui/BackgroundLoads.h"

namespace latentlab {

QThreadPool* BackgroundLoads::pool()
{
    // Enough threads that a new load starts at once even while stale ones (a hostile
    // file that takes minutes) still hold theirs; idle threads end after 10 s.
    static QThreadPool* const loads = [] {
        auto* p = new QThreadPool;
        p->setObjectName("latentlab-loads");
        p->setMaxThreadCount(32);
        p->setExpiryTimeout(10000);
        return p;
    }();
    return loads;
}

int BackgroundLoads::running()
{
    return pool()->activeThreadCount();
}

bool BackgroundLoads::waitForAll(int milliseconds)
{
    return pool()->waitForDone(milliseconds);
}

} // namespace latentlab
