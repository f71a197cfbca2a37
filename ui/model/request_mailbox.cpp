#include "ui/model/request_mailbox.h"

#include <algorithm>

namespace inceptionist::ui {

void RequestMailbox::post(DreamRequest request) {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_ = std::move(request);
    idle_ = false;
    running_.cancel();
    backgroundRunning_.cancel();  // the canvas goes first
    // A running sequence item is not stopped: the worker serves this request between its steps.
}

bool RequestMailbox::cancelAll() {
    std::lock_guard<std::mutex> lock(mutex_);
    const bool dropped = pending_.has_value();
    pending_.reset();
    running_.cancel();
    return dropped;
}

std::optional<DreamRequest> RequestMailbox::take(CancelToken& token) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::optional<DreamRequest> r;
    r.swap(pending_);
    if (r) {
        running_ = CancelToken();
        token = running_;
    }
    return r;
}

void RequestMailbox::postBackground(std::vector<BackgroundJob> jobs, quint64 generation) {
    std::lock_guard<std::mutex> lock(mutex_);
    background_.assign(std::make_move_iterator(jobs.begin()), std::make_move_iterator(jobs.end()));
    generation_ = generation;
    idle_ = false;
    backgroundRunning_.cancel();
}

std::optional<BackgroundJob> RequestMailbox::takeBackground(CancelToken& token) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (pending_ || !sequences_.empty() || background_.empty()) return std::nullopt;
    BackgroundJob job = std::move(background_.front());
    background_.pop_front();
    backgroundRunning_ = CancelToken();
    token = backgroundRunning_;
    return job;
}

size_t RequestMailbox::backgroundQueued() {
    std::lock_guard<std::mutex> lock(mutex_);
    return background_.size();
}

void RequestMailbox::requeueBackground(BackgroundJob job) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (job.generation == generation_) background_.push_front(std::move(job));
}

void RequestMailbox::postSequence(SequenceRequest request) {
    std::lock_guard<std::mutex> lock(mutex_);
    sequencesCancelled_.erase(request.id);
    sequences_.push_back(std::move(request));
    idle_ = false;
}

std::optional<SequenceRequest> RequestMailbox::takeSequence(CancelToken& token) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (pending_ || sequences_.empty()) return std::nullopt;
    SequenceRequest r = std::move(sequences_.front());
    sequences_.pop_front();
    sequenceRunningId_ = r.id;
    sequenceRunning_ = CancelToken();
    token = sequenceRunning_;
    return r;
}

bool RequestMailbox::putBackSequence(SequenceRequest request) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (sequenceRunningId_ == request.id) sequenceRunningId_ = 0;
    if (sequencesCancelled_.erase(request.id)) return false;
    sequences_.push_front(std::move(request));
    return true;
}

void RequestMailbox::endSequence(quint64 id) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (sequenceRunningId_ == id) sequenceRunningId_ = 0;
    sequencesCancelled_.erase(id);
}

RequestMailbox::SequenceCancel RequestMailbox::cancelSequence(quint64 id) {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto waiting = std::find_if(sequences_.begin(), sequences_.end(),
                                      [id](const SequenceRequest& r) { return r.id == id; });
    if (waiting != sequences_.end()) {
        sequences_.erase(waiting);
        return SequenceCancel::Dropped;
    }
    if (id != 0 && sequenceRunningId_ == id) {
        sequencesCancelled_.insert(id);
        sequenceRunning_.cancel();
        return SequenceCancel::Stopping;
    }
    return SequenceCancel::Unknown;
}

void RequestMailbox::cancelAllSequences() {
    std::lock_guard<std::mutex> lock(mutex_);
    sequences_.clear();
    if (sequenceRunningId_ != 0) sequencesCancelled_.insert(sequenceRunningId_);
    sequenceRunning_.cancel();
}

size_t RequestMailbox::sequencesQueued() {
    std::lock_guard<std::mutex> lock(mutex_);
    return sequences_.size();
}

bool RequestMailbox::markIdleIfEmpty() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (pending_ || !sequences_.empty() || !background_.empty()) return false;
    idle_ = true;
    return true;
}

bool RequestMailbox::idle() {
    std::lock_guard<std::mutex> lock(mutex_);
    return idle_;
}

}  // namespace inceptionist::ui
