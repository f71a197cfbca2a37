#include "app/terminal_progress.h"

#include <cstdio>

#include <unistd.h>

namespace inceptionist::cli {

namespace {
constexpr int kBarWidth = 30;
constexpr auto kMinRedraw = std::chrono::milliseconds(100);  // a terminal needs no more than 10 fps
}  // namespace

TerminalProgress::TerminalProgress(bool lines)
    : enabled_(lines || ::isatty(STDERR_FILENO) == 1),
      lines_(lines),
      start_(std::chrono::steady_clock::now()) {}

void TerminalProgress::update(double fraction, const std::string& label) {
    if (!enabled_) return;
    if (lines_) {
        std::fprintf(stderr, "progress %.4f %s\n", fraction, label.c_str());
        std::fflush(stderr);
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (drawn_ && now - lastDraw_ < kMinRedraw && fraction < 1.0) return;
    lastDraw_ = now;
    drawn_ = true;
    const int filled = static_cast<int>(fraction * kBarWidth + 0.5);
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    std::string bar(filled, '#');
    bar.append(kBarWidth - filled, '-');
    char eta[32] = "";
    if (fraction > 0.02)
        std::snprintf(eta, sizeof eta, "  %.0fs left", elapsed * (1 - fraction) / fraction);
    std::fprintf(stderr, "\r[%s] %3d%%  %s%s\033[K", bar.c_str(), static_cast<int>(fraction * 100),
                 label.c_str(), eta);
    std::fflush(stderr);
}

void TerminalProgress::finish() {
    if (enabled_ && drawn_ && !lines_) std::fprintf(stderr, "\n");
    drawn_ = false;
}

}  // namespace inceptionist::cli
