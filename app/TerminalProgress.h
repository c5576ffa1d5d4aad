#pragma once
// A progress bar for latentlab-cli's long verbs: bar, percent, rate and time left on one
// stderr line, redrawn at most ten times a second. Drawn only when stderr is a terminal
// (or LATENTLAB_PROGRESS=1 asks for it), so that stdout's JSON and a captured stderr are
// unchanged.
#include <chrono>
#include <cstddef>
#include <string>

namespace latentlab::cli {

class TerminalProgress {
public:
    // `what` leads the line ("training"), `unit` follows the rate ("images/s").
    TerminalProgress(std::string what, std::string unit);
    ~TerminalProgress();
    TerminalProgress(const TerminalProgress&) = delete;
    TerminalProgress& operator=(const TerminalProgress&) = delete;

    // `done` of `total`; `rate` in units per second, or 0 to measure it from the calls.
    void update(std::size_t done, std::size_t total, double rate = 0);
    // Clears the line (the destructor does too).
    void finish();

    static bool enabled();

private:
    using Clock = std::chrono::steady_clock;
    std::string what_, unit_;
    Clock::time_point start_ = Clock::now(), lastDrawn_;
    bool drawn_ = false;
    bool enabled_;
};

} // namespace latentlab::cli
