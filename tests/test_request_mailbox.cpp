// The worker's queues and network cache, driven step by step on the test's own thread: the newest
// canvas request wins, the canvas goes before prints and the explorer, a stopped job comes back
// where it was, one network copy serves every job and only one user at a time, and a cancelled
// model load does not hold up the next request. Links the ui model library without QtWidgets,
// as a headless driver would.

#include <QtTest>

#include <chrono>
#include <future>
#include <thread>

#include "core/engine/network.h"
#include "core/params/errors.h"
#include "tests/test_support.h"
#include "ui/model/dream_worker.h"
#include "ui/model/network_cache.h"
#include "ui/model/request_mailbox.h"
#include "ui/model/sequence_job.h"

using namespace inceptionist;
using namespace inceptionist::ui;

namespace {

DreamRequest canvas(quint64 id, const std::string& model = "tiny") {
    DreamRequest r;
    r.id = id;
    r.params.model = model;
    return r;
}

BackgroundJob explorerJob(const QString& key, quint64 generation) {
    BackgroundJob job;
    job.key = key;
    job.generation = generation;
    return job;
}

// Counts loads of the tiny fixture model, whatever model id is asked for; "broken" fails.
struct CountingLoader {
    std::shared_ptr<std::atomic<int>> loads = std::make_shared<std::atomic<int>>(0);
    NetworkCache::Loader loader() const {
        return [loads = loads](const std::string& model, const std::string& device,
                               const CancelToken&) {
            ++*loads;
            if (model == "broken") throw Error(ErrorKind::Model, "broken model");
            return Network::load(test::dataPath("conformance/tiny_float32"), device);
        };
    }
};

// A sequence whose items record that they ran; an item may act as something arriving while it
// runs (a canvas request, a cancel) before it looks at its token, as a dream does every step.
class RecordingSequence : public SequenceJob {
public:
    explicit RecordingSequence(size_t items) : items_(items) {}
    size_t itemCount() const override { return items_; }
    double itemCost(size_t) const override { return 1; }
    const DreamParams& itemParams(size_t) const override { return params_; }
    void runItem(size_t item, const Network&, const CancelToken& cancel,
                 const Progress& progress) override {
        log.push_back(QString("item %1").arg(item));
        if (duringItem) duringItem(item);
        progress(0.5, {});  // between two steps of the item's dream
        if (cancel.cancelled()) throw Error(ErrorKind::Cancelled, "stopped");
    }
    void finish(const CancelToken&) override { log.push_back("finish"); }

    QStringList log;
    std::function<void(size_t item)> duringItem;

private:
    size_t items_;
    DreamParams params_;  // model "inception_v3": any id loads the tiny fixture here
};

}  // namespace

class RequestMailboxTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void newestCanvasRequestWins() {
        RequestMailbox mailbox;
        mailbox.post(canvas(1));
        mailbox.post(canvas(2));
        CancelToken token;
        const auto taken = mailbox.take(token);
        QVERIFY(taken);
        QCOMPARE(taken->id, quint64(2));
        QVERIFY(!mailbox.take(token));  // request 1 never runs
    }

    void postingCancelsTheRunningDream() {
        RequestMailbox mailbox;
        mailbox.post(canvas(1));
        CancelToken running;
        QVERIFY(mailbox.take(running));
        QVERIFY(!running.cancelled());
        mailbox.post(canvas(2));
        QVERIFY(running.cancelled());
        CancelToken next;
        QCOMPARE(mailbox.take(next)->id, quint64(2));
        QVERIFY(!next.cancelled());  // the new dream gets a fresh token
    }

    void cancelAllDropsTheWaitingRequestAndStopsTheRunningOne() {
        RequestMailbox mailbox;
        mailbox.post(canvas(1));
        CancelToken running;
        QVERIFY(mailbox.take(running));
        QVERIFY(!mailbox.cancelAll());  // nothing was waiting
        QVERIFY(running.cancelled());
        mailbox.post(canvas(2));
        QVERIFY(mailbox.cancelAll());
        CancelToken token;
        QVERIFY(!mailbox.take(token));
    }

    void explorerJobStoppedByCanvasComesBackFirst() {
        RequestMailbox mailbox;
        mailbox.postBackground({explorerJob("a", 1), explorerJob("b", 1)}, 1);
        CancelToken running;
        auto a = mailbox.takeBackground(running);
        QCOMPARE(a->key, QString("a"));
        mailbox.post(canvas(1));
        QVERIFY(running.cancelled());
        CancelToken token;
        QVERIFY(!mailbox.takeBackground(token));  // the canvas goes first
        mailbox.requeueBackground(*a);
        QCOMPARE(mailbox.take(token)->id, quint64(1));
        QCOMPARE(mailbox.takeBackground(token)->key, QString("a"));
        QCOMPARE(mailbox.takeBackground(token)->key, QString("b"));
        QVERIFY(!mailbox.takeBackground(token));
    }

    void newGenerationDropsTheExplorersOldJobs() {
        RequestMailbox mailbox;
        mailbox.postBackground({explorerJob("old", 1), explorerJob("old2", 1)}, 1);
        CancelToken running;
        auto old = mailbox.takeBackground(running);
        mailbox.postBackground({explorerJob("new", 2)}, 2);
        QVERIFY(running.cancelled());
        mailbox.requeueBackground(*old);  // stopped, but the explorer moved on
        QCOMPARE(mailbox.backgroundQueued(), size_t(1));
        CancelToken token;
        QCOMPARE(mailbox.takeBackground(token)->key, QString("new"));
        QVERIFY(!mailbox.takeBackground(token));
    }

    void sequencesRunAfterTheCanvasAndBeforeTheExplorer() {
        RequestMailbox mailbox;
        auto first = std::make_shared<RecordingSequence>(2);
        auto second = std::make_shared<RecordingSequence>(1);
        mailbox.postBackground({explorerJob("thumb", 1)}, 1);
        mailbox.postSequence({1, first});
        mailbox.postSequence({2, second});
        mailbox.post(canvas(7));
        CancelToken token;
        QVERIFY(!mailbox.takeSequence(token));
        QCOMPARE(mailbox.take(token)->id, quint64(7));
        QVERIFY(!mailbox.takeBackground(token));  // a print waits: the explorer waits too
        CancelToken item;
        auto taken = mailbox.takeSequence(item);
        QCOMPARE(taken->id, quint64(1));
        mailbox.post(canvas(8));  // a canvas dream does not stop the print's item...
        QVERIFY(!item.cancelled());
        QCOMPARE(mailbox.take(token)->id, quint64(8));  // ...the worker runs it within the item
        mailbox.post(canvas(9));
        mailbox.endSequence(1);
        QVERIFY(!mailbox.takeSequence(token));  // a waiting canvas request still goes first
        QCOMPARE(mailbox.take(token)->id, quint64(9));
        QCOMPARE(mailbox.takeSequence(token)->id, quint64(2));
        mailbox.endSequence(2);
        QCOMPARE(mailbox.takeBackground(token)->key, QString("thumb"));
    }

    void cancellingASequence() {
        RequestMailbox mailbox;
        mailbox.postSequence({1, std::make_shared<RecordingSequence>(2)});
        mailbox.postSequence({2, std::make_shared<RecordingSequence>(2)});
        QCOMPARE(mailbox.cancelSequence(2), RequestMailbox::SequenceCancel::Dropped);
        CancelToken running;
        auto taken = mailbox.takeSequence(running);
        QCOMPARE(mailbox.cancelSequence(1), RequestMailbox::SequenceCancel::Stopping);
        QVERIFY(running.cancelled());
        QVERIFY(!mailbox.putBackSequence(*taken));  // its owner stopped it: not put back
        QCOMPARE(mailbox.sequencesQueued(), size_t(0));
        QCOMPARE(mailbox.cancelSequence(1), RequestMailbox::SequenceCancel::Unknown);
    }

    void workerResumesASequenceAfterItsFinishedItems() {
        auto mailbox = std::make_shared<RequestMailbox>();
        CountingLoader loads;
        DreamWorker worker(mailbox, std::make_shared<NetworkCache>(loads.loader()));
        QSignalSpy progress(&worker, &DreamWorker::sequenceProgress);
        QSignalSpy cancelled(&worker, &DreamWorker::sequenceCancelled);
        QSignalSpy finished(&worker, &DreamWorker::sequenceFinished);

        auto job = std::make_shared<RecordingSequence>(3);
        job->duringItem = [&](size_t item) {
            if (item == 1 && job->log.count("item 1") == 1)
                mailbox->cancelSequence(1);  // Esc in the print's dialog
        };
        mailbox->postSequence({1, job});
        worker.wake();  // runs until the mailbox is empty
        QCOMPARE(cancelled.count(), 1);
        QCOMPARE(finished.count(), 0);
        QCOMPARE(job->finishedItems(), size_t(1));
        QCOMPARE(progress.at(1).at(1).toDouble(), 0.5);  // item 1 of 3, half done

        mailbox->postSequence({2, job});  // start it again
        worker.wake();
        QCOMPARE(job->log, QStringList({"item 0", "item 1", "item 1", "item 2", "finish"}));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.at(0).at(0).value<quint64>(), quint64(2));
        QCOMPARE(*loads.loads, 1);  // one network for all items
    }

    // A canvas request that arrives while a print's item runs is served at the item's next step,
    // and the item goes on from where it was instead of starting again.
    void workerRunsACanvasRequestWithinASequenceItem() {
        auto mailbox = std::make_shared<RequestMailbox>();
        CountingLoader loads;
        DreamWorker worker(mailbox, std::make_shared<NetworkCache>(loads.loader()));
        auto job = std::make_shared<RecordingSequence>(2);
        QSignalSpy failed(&worker, &DreamWorker::failed);
        connect(&worker, &DreamWorker::failed, this, [&](quint64 id, const QString&) {
            job->log.push_back(QString("canvas %1").arg(id));
        });
        // The canvas request arrives while item 0 runs; its model is broken, so it fails fast.
        job->duringItem = [&](size_t item) {
            if (item == 0 && job->log.count("item 0") == 1) mailbox->post(canvas(5, "broken"));
        };
        mailbox->postSequence({1, job});
        worker.wake();
        QCOMPARE(job->log, QStringList({"item 0", "canvas 5", "item 1", "finish"}));
        QCOMPARE(failed.count(), 1);
        QVERIFY(failed.at(0).at(1).toString().contains("broken model"));
    }

    // A canvas request for the model the print holds runs on that network, at once: no second
    // copy, and no wait for a lease the worker itself holds.
    void canvasRequestWithinASequenceItemSharesItsNetwork() {
        auto mailbox = std::make_shared<RequestMailbox>();
        CountingLoader loads;
        DreamWorker worker(mailbox, std::make_shared<NetworkCache>(loads.loader()));
        auto job = std::make_shared<RecordingSequence>(1);
        QSignalSpy started(&worker, &DreamWorker::started);
        QSignalSpy finished(&worker, &DreamWorker::sequenceFinished);
        job->duringItem = [&](size_t) {
            mailbox->post(canvas(6, "inception_v3"));
        };  // the item's model
        mailbox->postSequence({1, job});
        worker.wake();
        QCOMPARE(started.count(), 1);  // the canvas request ran (the tiny model lacks its layers)
        QCOMPARE(finished.count(), 1);
        QCOMPARE(*loads.loads, 1);
    }

    void cacheKeepsOneCopyPerModelAndDevice() {
        CountingLoader loads;
        NetworkCache cache(loads.loader());
        {
            NetworkLease a = cache.acquire("a", "cpu");
            QVERIFY(a);
            QCOMPARE(a.key(), std::string("a@cpu"));
        }
        NetworkLease again = cache.acquire("a", "cpu");
        QCOMPARE(*loads.loads, 1);
        QCOMPARE(cache.size(), size_t(1));
    }

    void aNetworkHasOneUserAtATime() {
        CountingLoader loads;
        NetworkCache cache(loads.loader());
        NetworkLease first = cache.acquire("a", "cpu");
        QVERIFY(!cache.tryAcquire("a", "cpu"));  // in use
        CancelToken gaveUp;
        gaveUp.cancel();
        QVERIFY_EXCEPTION_THROWN(cache.acquire("a", "cpu", gaveUp), Error);
        NetworkLease other = cache.tryAcquire("b", "cpu");
        QVERIFY(!other);  // not loaded: tryAcquire never loads
        first.release();
        NetworkLease second = cache.tryAcquire("a", "cpu");
        QVERIFY(second);
        QCOMPARE(*loads.loads, 1);
    }

    void cacheIsBounded() {
        CountingLoader loads;
        NetworkCache cache(loads.loader(), 2);
        cache.acquire("a", "cpu");
        cache.acquire("b", "cpu");
        cache.acquire("c", "cpu");
        QCOMPARE(cache.size(), size_t(2));
        QVERIFY(!cache.contains("a", "cpu"));  // least recently used
        QVERIFY(cache.contains("c", "cpu"));

        NetworkLease held = cache.acquire("b", "cpu");  // held: never evicted
        cache.acquire("d", "cpu");
        cache.acquire("e", "cpu");
        QVERIFY(cache.contains("b", "cpu"));
        QCOMPARE(cache.size(), size_t(2));
        cache.clear();
        QCOMPARE(cache.size(), size_t(1));  // clear() too leaves the held one
    }

    void failedLoadIsReportedAndNotKept() {
        CountingLoader loads;
        NetworkCache cache(loads.loader());
        QVERIFY_EXCEPTION_THROWN(cache.acquire("broken", "cpu"), Error);
        QVERIFY_EXCEPTION_THROWN(cache.acquire("broken", "cpu"), Error);
        QCOMPARE(*loads.loads, 2);  // tried again
        QCOMPARE(cache.size(), size_t(0));
    }

    void cancelledLoadDoesNotHoldUpTheNextRequest() {
        // The load blocks until the test lets it go; meanwhile the request is cancelled.
        std::promise<void> gate;
        std::shared_future<void> open = gate.get_future().share();
        CancelToken request;
        int loadsStarted = 0;
        NetworkCache cache([&](const std::string&, const std::string& device, const CancelToken&) {
            ++loadsStarted;
            request.cancel();  // Esc, or a newer request, arrives during the load
            open.wait();
            return Network::load(test::dataPath("conformance/tiny_float32"), device);
        });
        try {
            cache.acquire("a", "cpu", request);
            QFAIL("a cancelled request must not get a network");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Cancelled);
        }
        QVERIFY(cache.contains("a", "cpu"));  // still loading: we did not wait for it
        gate.set_value();
        NetworkLease next = cache.acquire("a", "cpu");  // the same load, not a second one
        QVERIFY(next);
        QCOMPARE(loadsStarted, 1);
    }

    // Esc during a load of model "a", then the artist picks "b": the load of "a" is stopped
    // rather than left to finish, and closing does not wait for it either.
    void abandonedLoadStopsWhenAnotherModelIsWanted() {
        std::promise<bool> stopSeen;
        auto seen = stopSeen.get_future();
        CancelToken request;
        NetworkCache cache([&](const std::string& model, const std::string& device,
                               const CancelToken& stop) -> std::shared_ptr<Network> {
            if (model == "a") {
                request.cancel();  // Esc arrives during the load
                // A load that takes as long as it is allowed to (bounded, should the cache
                // never stop it: the test then fails instead of hanging).
                const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
                while (!stop.cancelled() && std::chrono::steady_clock::now() < until)
                    std::this_thread::yield();
                stopSeen.set_value(stop.cancelled());
                throw Error(ErrorKind::Cancelled, "load stopped");
            }
            return Network::load(test::dataPath("conformance/tiny_float32"), device);
        });
        QVERIFY_EXCEPTION_THROWN(cache.acquire("a", "cpu", request), Error);
        NetworkLease b = cache.acquire("b", "cpu");
        QVERIFY(b);
        QCOMPARE(seen.wait_for(std::chrono::seconds(30)), std::future_status::ready);
        QVERIFY(seen.get());
        QVERIFY(!cache.contains("a", "cpu"));
    }
};

QTEST_GUILESS_MAIN(RequestMailboxTest)
#include "test_request_mailbox.moc"
