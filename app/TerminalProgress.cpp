#include "app/TerminalProgress.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace latentlab::cli {

namespace {

std::string duration(double seconds)
{
    const long s = long(seconds + 0.5);
    char text[32];
    if (s >= 3600)
        std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        std::snprintf(text, sizeof text, "%ld:%02ld", s / 60, s % 60);
    return text;
}

} // namespace

TerminalProgress::TerminalProgress(std::string what, std::string unit)
    : what_(std::move(what)), unit_(std::move(unit)), enabled_(enabled())
{
}

TerminalProgress::~TerminalProgress()
{
    finish();
}

bool TerminalProgress::enabled()
{
    const char* forced = std::getenv("LATENTLAB_PROGRESS");
    if (forced && *forced)
        return std::strcmp(forced, "0") != 0;
    return isatty(STDERR_FILENO) == 1;
}

void TerminalProgress::update(std::size_t done, std::size_t total, double rate)
{
    if (!enabled_ || total == 0)
        return;
    const Clock::time_point now = Clock::now();
    if (drawn_ && done < total && now - lastDrawn_ < std::chrono::milliseconds(100))
        return;
    lastDrawn_ = now;
    drawn_ = true;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    if (rate <= 0 && elapsed > 0)
        rate = double(done) / elapsed;
    const double share = double(std::min(done, total)) / double(total);
    constexpr int kWidth = 30;
    const int filled = int(share * kWidth);
    char line[256];
    const std::string left = rate > 0 ? duration(double(total - std::min(done, total)) / rate) : "?";
    std::snprintf(line, sizeof line, "\r%s [%s%s] %3d%%  %.0f %s  %s left ", what_.c_str(),
                  std::string(std::size_t(filled), '#').c_str(), std::string(std::size_t(kWidth - filled), '.').c_str(),
                  int(share * 100), rate, unit_.c_str(), left.c_str());
    std::fputs(line, stderr);
    std::fflush(stderr);
}

void TerminalProgress::finish()
{
    if (!drawn_)
        return;
    std::fputs("\r\033[K", stderr); // the line goes; the JSON on stdout stays
    std::fflush(stderr);
    drawn_ = false;
}

} // namespace latentlab::cli
