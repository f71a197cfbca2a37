#include "core/model/model_read_ahead.h"

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "core/model/tfjs_importer.h"

namespace inceptionist {
namespace fs = std::filesystem;

namespace {

struct ReadAhead {
    fs::path file;
    std::mutex mutex;
    std::condition_variable changed;
    bool librariesReady = false;
    bool done = false;
    std::optional<ModelGraph> graph;

    void setLibrariesReady() {
        std::lock_guard<std::mutex> lock(mutex);
        librariesReady = true;
        changed.notify_all();
    }
};

// Constant-initialised, so it is valid before any initialiser has run.
std::atomic<ReadAhead*> pending{nullptr};

void readAhead(ReadAhead* r) {
    std::optional<ModelGraph> graph;
    try {
        TfjsModel model = readTfjsModel(r->file, nullptr, /*withoutOpenCv=*/true);
        {
            std::unique_lock<std::mutex> lock(r->mutex);
            r->changed.wait(lock, [r] { return r->librariesReady; });
        }
        graph = importTfjs(std::move(model));
    } catch (...) {  // the importer reads the file again and reports what is wrong
    }
    std::lock_guard<std::mutex> lock(r->mutex);
    r->graph = std::move(graph);
    r->done = true;
    r->changed.notify_all();
}

}  // namespace

void startModelReadAhead(const fs::path& modelJson) {
    auto* r = new ReadAhead;
    r->file = modelJson;
    ReadAhead* none = nullptr;
    if (!pending.compare_exchange_strong(none, r)) {
        delete r;
        return;
    }
    std::thread(readAhead, r).detach();
}

void modelReadAheadMayUseLibraries() {
    if (ReadAhead* r = pending.load()) {
        r->setLibrariesReady();
        // The last resort for a program that calls exit(): the caller should call
        // finishModelReadAhead before main returns, while every static is still alive.
        std::atexit(finishModelReadAhead);
    }
}

void finishModelReadAhead() {
    ReadAhead* r = pending.exchange(nullptr);
    if (r == nullptr) return;
    {
        std::unique_lock<std::mutex> lock(r->mutex);
        r->librariesReady = true;
        r->changed.notify_all();
        r->changed.wait(lock, [r] { return r->done; });
    }
    delete r;
}

std::optional<ModelGraph> takeModelReadAhead(const fs::path& modelJson) {
    ReadAhead* r = pending.load();
    std::error_code ec;
    if (r == nullptr || !fs::equivalent(r->file, modelJson, ec) || ec) return std::nullopt;
    if (!pending.compare_exchange_strong(r, nullptr)) return std::nullopt;  // taken meanwhile
    std::optional<ModelGraph> graph;
    {
        std::unique_lock<std::mutex> lock(r->mutex);
        r->librariesReady = true;  // whoever asks for the model has its libraries
        r->changed.notify_all();
        r->changed.wait(lock, [r] { return r->done; });
        graph = std::move(r->graph);
    }
    delete r;  // the thread is done with it: it set `done` last, under the lock
    return graph;
}

}  // namespace inceptionist
