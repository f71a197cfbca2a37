#include "ui/model/network_cache.h"

#include <chrono>

#include "core/engine/network.h"
#include "core/model/model_store.h"
#include "core/params/errors.h"

namespace inceptionist::ui {

namespace {
// How often a waiter looks at its cancel token: CancelToken has no way to wake a waiting thread,
// and a fifth of a frame is quicker than anyone can notice.
constexpr auto kCancelCheckInterval = std::chrono::milliseconds(10);

bool ready(const std::shared_future<std::shared_ptr<Network>>& f) {
    return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}
}  // namespace

NetworkLease::NetworkLease(NetworkLease&& other) noexcept
    : cache_(other.cache_), key_(std::move(other.key_)), network_(other.network_) {
    other.cache_ = nullptr;
    other.network_ = nullptr;
}

NetworkLease& NetworkLease::operator=(NetworkLease&& other) noexcept {
    if (this != &other) {
        release();
        cache_ = other.cache_;
        key_ = std::move(other.key_);
        network_ = other.network_;
        other.cache_ = nullptr;
        other.network_ = nullptr;
    }
    return *this;
}

NetworkLease::~NetworkLease() { release(); }

void NetworkLease::release() {
    if (cache_) cache_->release(key_);
    cache_ = nullptr;
    network_ = nullptr;
}

NetworkCache::NetworkCache(Loader loader, size_t capacity)
    : loader_(std::move(loader)), capacity_(std::max<size_t>(capacity, 1)) {}

NetworkCache::Loader NetworkCache::loaderFor(const std::string& modelsDir) {
    return
        [modelsDir](const std::string& model, const std::string& device, const CancelToken& stop) {
            return Network::load(modelPath(modelsDirectory(modelsDir), model), device, &stop);
        };
}

void NetworkCache::setLoader(Loader loader) {
    std::lock_guard<std::mutex> lock(mutex_);
    loader_ = std::move(loader);
}

NetworkCache::~NetworkCache() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        for (auto& e : entries_) e.stop.cancel();
    }
    for (auto& l : loaders_) l.thread.join();
}

void NetworkCache::joinFinishedLoaders() {
    for (auto it = loaders_.begin(); it != loaders_.end();) {
        if (it->finished->load()) {
            it->thread.join();  // returns at once: the thread is past its last use of mutex_
            it = loaders_.erase(it);
        } else {
            ++it;
        }
    }
}

NetworkCache::Entries::iterator NetworkCache::find(const std::string& key) {
    for (auto it = entries_.begin(); it != entries_.end(); ++it)
        if (it->key == key) return it;
    return entries_.end();
}

void NetworkCache::evictBeyond(size_t capacity) {
    for (auto it = entries_.end(); entries_.size() > capacity && it != entries_.begin();) {
        --it;
        const bool busy = it->leased || (it->loading.valid() && !ready(it->loading));
        if (!busy) it = entries_.erase(it);
    }
}

void NetworkCache::stopAbandonedLoads() {
    for (auto it = entries_.begin(); it != entries_.end();) {
        if (it->waiters == 0 && !it->network && it->loading.valid() && !ready(it->loading)) {
            it->stop.cancel();
            it = entries_.erase(it);
        } else {
            ++it;
        }
    }
}

NetworkLease NetworkCache::acquire(const std::string& model, const std::string& device,
                                   const CancelToken& cancel) {
    const std::string key = keyOf(model, device);
    std::unique_lock<std::mutex> lock(mutex_);
    bool waiting = false;  // counted among the entry's waiters
    auto stopWaiting = [&] {
        if (!waiting) return;
        waiting = false;
        if (auto it = find(key); it != entries_.end()) --it->waiters;
    };
    for (;;) {
        if (cancel.cancelled()) {
            stopWaiting();
            throw Error(ErrorKind::Cancelled, "model load cancelled");
        }
        auto it = find(key);
        if (it == entries_.end()) {
            waiting = false;
            // Another model is wanted now: loads that nobody waits for are obsolete.
            stopAbandonedLoads();
            evictBeyond(capacity_ - 1);
            Entry entry;
            std::packaged_task<std::shared_ptr<Network>()> task(
                [loader = loader_, model, device, stop = entry.stop] {
                    return loader(model, device, stop);
                });
            entry.key = key;
            entry.loading = task.get_future().share();
            entries_.push_front(std::move(entry));
            joinFinishedLoaders();
            auto finished = std::make_shared<std::atomic<bool>>(false);
            std::thread thread([this, finished, task = std::move(task)]() mutable {
                task();
                // Lets go of the result before waking the waiters, so that this thread never
                // frees it, a failed load's exception included: that exception is rethrown to
                // the worker, and only the count libstdc++ keeps inside its own library, where
                // ThreadSanitizer cannot see it, would order the worker's reads before the free.
                task = {};
                { std::lock_guard<std::mutex> wake(mutex_); }
                changed_.notify_all();
                finished->store(true);
            });
            loaders_.push_back({std::move(thread), std::move(finished)});
            continue;
        }
        if (!waiting) {
            ++it->waiters;
            waiting = true;
        }
        if (!it->network && ready(it->loading)) {
            try {
                it->network = it->loading.get();
            } catch (...) {
                // Reported once, to whoever asks first; the next request loads again.
                entries_.erase(it);
                throw;
            }
        }
        if (it->network && !it->leased) {
            stopWaiting();
            it->leased = true;
            entries_.splice(entries_.begin(), entries_, it);
            return NetworkLease(this, key, it->network.get());
        }
        changed_.wait_for(lock, kCancelCheckInterval);
    }
}

NetworkLease NetworkCache::tryAcquire(const std::string& model, const std::string& device) {
    const std::string key = keyOf(model, device);
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = find(key);
    if (it == entries_.end() || it->leased) return {};
    if (!it->network) {
        if (!ready(it->loading)) return {};
        try {
            it->network = it->loading.get();
        } catch (...) {
            entries_.erase(it);
            return {};
        }
    }
    it->leased = true;
    entries_.splice(entries_.begin(), entries_, it);
    return NetworkLease(this, key, it->network.get());
}

void NetworkCache::release(const std::string& key) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = find(key);
        if (it != entries_.end()) it->leased = false;
        evictBeyond(capacity_);
    }
    changed_.notify_all();
}

size_t NetworkCache::size() {
    std::lock_guard<std::mutex> lock(mutex_);
    return entries_.size();
}

bool NetworkCache::contains(const std::string& model, const std::string& device) {
    std::lock_guard<std::mutex> lock(mutex_);
    return find(keyOf(model, device)) != entries_.end();
}

void NetworkCache::clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    evictBeyond(0);
}

}  // namespace inceptionist::ui
