#pragma once
// A shared flag the caller sets to stop long work (a dream, a model load, a sequence of frames);
// the work notices it at its next check and throws Error(ErrorKind::Cancelled).

#include <atomic>
#include <memory>

namespace inceptionist {

class CancelToken {
public:
    CancelToken() : flag_(std::make_shared<std::atomic<bool>>(false)) {}
    void cancel() const { flag_->store(true, std::memory_order_relaxed); }
    bool cancelled() const { return flag_->load(std::memory_order_relaxed); }

private:
    std::shared_ptr<std::atomic<bool>> flag_;
};

}  // namespace inceptionist
