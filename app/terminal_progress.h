#pragma once
// A one-line progress bar on stderr, drawn only when stderr is a terminal; or, for scripts,
// one "progress FRACTION LABEL" line per update.

#include <chrono>
#include <string>

namespace inceptionist::cli {

class TerminalProgress {
public:
    explicit TerminalProgress(bool lines = false);
    // fraction in [0, 1]; label says where the work is ("octave 2/4, step 3/10").
    void update(double fraction, const std::string& label);
    void finish();

private:
    bool enabled_;
    bool lines_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point lastDraw_;
};

}  // namespace inceptionist::cli
