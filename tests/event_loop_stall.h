#pragma once
// How long the event loop was kept waiting while something ran: a 5 ms timer ticks throughout,
// and the longest gap between its ticks is the longest the window could not answer. The tests
// and benchmarks of work that must stay off the GUI thread (opening, exporting, restoring a
// session) measure it the same way.

#include <algorithm>
#include <functional>

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace inceptionist::test {

struct EventLoopStall {
    double totalMs = 0;      // how long `action` took
    double worstWaitMs = 0;  // the longest gap between two ticks (or to the end)
};

// Runs `action`, which turns the event loop itself (as runFileTask does while its work runs),
// while the timer ticks.
inline EventLoopStall measureEventLoopStall(const std::function<void()>& action) {
    constexpr int kTickMs = 5;
    QElapsedTimer clock, sinceTick;
    qint64 worst = 0;
    QTimer tick;
    tick.setInterval(kTickMs);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        worst = std::max(worst, sinceTick.nsecsElapsed());
        sinceTick.start();
    });
    clock.start();
    sinceTick.start();
    tick.start();
    action();
    worst = std::max(worst, sinceTick.nsecsElapsed());
    return {clock.nsecsElapsed() / 1e6, worst / 1e6};
}

}  // namespace inceptionist::test
