#pragma once
// What the GUI asks of the worker, waiting to be taken: the canvas's newest dream request, the
// print's (and later a video's) sequence jobs, and the explorer's background queue.
//
// Order: a canvas request goes first. It stops a running explorer job (which goes back first in
// its queue and carries on afterwards); a running sequence item is not stopped but lets the
// worker run the canvas request at its next step or tile, so a print neither stalls the canvas
// nor loses its place. Then sequence jobs, one item at a time, oldest job first; then the
// explorer's jobs.
//
// Threading: every member may be called from any thread; each takes the mailbox's mutex only for
// a moment. The tokens handed out by the take*() functions are how the worker learns that it
// should stop.

#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <vector>

#include <QImage>
#include <QString>

#include "core/params/cancel_token.h"
#include "core/params/dream_params.h"

namespace inceptionist::ui {

class SequenceJob;

struct DreamRequest {
    quint64 id = 0;
    DreamParams params;
    QImage source;  // implicitly shared, read-only across threads
};

// Work for the explorer, done only while no dream for the canvas is waiting or running.
struct BackgroundJob {
    enum class Kind { Dream, RankChannels };
    Kind kind = Kind::Dream;
    quint64 generation = 0;  // the explorer's restart count; older jobs are dropped
    QString key;             // names the result
    DreamParams params;      // RankChannels: the layer is params.layers[0], at params.workingSize
    QImage source;
};

struct SequenceRequest {
    quint64 id = 0;
    std::shared_ptr<SequenceJob> job;  // keeps its finished items' results
};

class RequestMailbox {
public:
    // Replaces any waiting request and cancels the running one and a running explorer job.
    void post(DreamRequest request);
    // Cancels the running dream and drops any waiting request; true if one was waiting.
    bool cancelAll();
    // Takes the waiting request, with a fresh cancel token that post() and cancelAll() trigger.
    std::optional<DreamRequest> take(CancelToken& token);

    // Replaces the explorer's queue and stops its running job. A dream for the canvas also stops
    // the running job, which then goes back to the front of the queue.
    void postBackground(std::vector<BackgroundJob> jobs, quint64 generation);
    // The next explorer job, unless a canvas request or a sequence job waits.
    std::optional<BackgroundJob> takeBackground(CancelToken& token);
    // Puts a job stopped for a canvas dream back first in line, unless the explorer moved on.
    void requeueBackground(BackgroundJob job);
    size_t backgroundQueued();

    // Queues a sequence job behind the others. Posting a job again after a cancel resumes it at
    // its first unfinished item.
    void postSequence(SequenceRequest request);
    // The first sequence job, unless a canvas request waits, with a fresh cancel token that
    // cancelSequence() triggers. The job leaves the queue until putBackSequence() or
    // endSequence().
    std::optional<SequenceRequest> takeSequence(CancelToken& token);
    // The worker is done with a job for now (an item finished, or it was stopped): puts it back
    // first in line and returns true, or returns false when its owner cancelled it meanwhile.
    bool putBackSequence(SequenceRequest request);
    // The worker finished or failed the job: it leaves the mailbox for good.
    void endSequence(quint64 id);
    enum class SequenceCancel {
        Dropped,   // it was waiting: nobody will run it again, the caller reports the cancel
        Stopping,  // the worker has it and reports the cancel (or its end, if that came first)
        Unknown,   // already over
    };
    SequenceCancel cancelSequence(quint64 id);
    // Cancels and drops every sequence job (on shutdown).
    void cancelAllSequences();
    size_t sequencesQueued();

    // The worker found nothing to take: true, and the mailbox remembers that the worker went
    // idle, unless something waits (then false: the worker goes on). Every post*() clears it.
    bool markIdleIfEmpty();
    // Nothing was posted since the worker last went idle: its idle report is still true.
    bool idle();

private:
    std::mutex mutex_;
    std::optional<DreamRequest> pending_;
    CancelToken running_;
    std::deque<BackgroundJob> background_;
    quint64 generation_ = 0;
    CancelToken backgroundRunning_;
    std::deque<SequenceRequest> sequences_;
    quint64 sequenceRunningId_ = 0;  // 0: none taken
    CancelToken sequenceRunning_;
    std::set<quint64> sequencesCancelled_;  // taken, then cancelled by their owner
    bool idle_ = true;                      // see markIdleIfEmpty()
};

}  // namespace inceptionist::ui
