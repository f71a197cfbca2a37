#pragma once
// Ordered work for the worker, beside its newest-wins requests: the dreams of a print one after
// the other (later: the frames of a video). The worker runs one item at a time with the network
// the item asks for, reports progress over the whole job, and lets a canvas dream go first:
// between items, and within one each time the item reports progress (after every step or tile
// of its dream), when the worker runs waiting canvas requests before the item goes on.
//
// Resume: an item that was stopped by cancel starts again from its beginning when the job is
// posted again; the items finished before it are never redone, because a job keeps their
// results (the image so far, frames written) and finishedItems() says where to go on.
//
// Threading: the worker calls runItem() and finish() on its thread, one call at a time; the
// owner may read finishedItems() and request a stop from any thread.

#include <atomic>
#include <functional>
#include <string>

#include <QString>

#include "core/params/cancel_token.h"
#include "core/params/dream_params.h"

namespace inceptionist {
class Network;
}

namespace inceptionist::ui {

class SequenceJob {
public:
    // Where an item is: `fraction` of its own work, and a label for people. Call it between
    // steps or tiles, never inside a forward or backward pass: the worker may run a canvas
    // dream on the same network inside the call.
    using Progress = std::function<void(double fraction, const QString& label)>;

    virtual ~SequenceJob() = default;

    virtual size_t itemCount() const = 0;
    // The item's share of the whole job's work, in any unit (only ratios matter).
    virtual double itemCost(size_t item) const = 0;
    // Which network item `item` runs on ("model" and "device" are read).
    virtual const DreamParams& itemParams(size_t item) const = 0;
    // Does item `item` and keeps its result. Throws Error(Cancelled) when `cancel` fires.
    virtual void runItem(size_t item, const Network& network, const CancelToken& cancel,
                         const Progress& progress) = 0;
    // After the last item: writes the result. Throws Error(Cancelled) when `cancel` fires.
    virtual void finish(const CancelToken& cancel) = 0;

    // Items done; the next run starts at this one.
    size_t finishedItems() const { return finished_.load(); }
    void markFinished(size_t item) { finished_.store(item + 1); }
    bool done() const { return finishedItems() >= itemCount(); }

    // Fraction of the whole job when `item` is `itemFraction` done, by the items' costs.
    double overallFraction(size_t item, double itemFraction) const;

private:
    std::atomic<size_t> finished_{0};
};

inline double SequenceJob::overallFraction(size_t item, double itemFraction) const {
    double before = 0, total = 0;
    for (size_t i = 0; i < itemCount(); ++i) {
        const double c = itemCost(i);
        total += c;
        if (i < item) before += c;
    }
    if (total <= 0) return 0;
    return (before + (item < itemCount() ? itemCost(item) * itemFraction : 0)) / total;
}

}  // namespace inceptionist::ui
