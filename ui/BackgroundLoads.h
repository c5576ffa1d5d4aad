#pragma once
// The thread pool that loads run on (model files, data sets, encodes, dropped images,
// attribute files, statistics): work on input that may be hostile and that no core
// call can interrupt halfway. Nobody waits for it: not the window (a cancelled or
// superseded load finishes on its own and its result is dropped), not Qt at exit (it
// waits only for its global pool, where saves and exports run, which must finish).
// Each load holds copies of what it uses, so it may outlive the window.
#include <QThreadPool>

namespace latentlab {

class BackgroundLoads {
public:
    // Never destroyed: QThreadPool's destructor would wait for the loads.
    static QThreadPool* pool();
    // Loads still running, stale ones included.
    static int running();
    // For tests and orderly shutdown: true when none runs any more.
    static bool waitForAll(int milliseconds);
};

} // namespace latentlab
