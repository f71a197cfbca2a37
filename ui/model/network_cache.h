#pragma once
// The loaded networks, shared by every job of the worker (canvas dreams, the explorer, prints),
// so a print of the model on screen does not load a second copy.
//
// Threading: any thread may acquire. A Network must not run on two threads at once, so the only
// way to reach one is a NetworkLease, and an entry has at most one lease at a time: a second user
// of the same model waits until the first lets go (or its cancel token fires). Different models
// are leased independently.
//
// Loading runs on a thread of its own. The caller waits for it while watching its cancel token,
// so Esc or a newer request stops the wait at once. The load itself goes on while it may still be
// wanted (the next request is often for the same model, and reuses it); it is stopped (between
// weights while they are read, between layers while they compile) once nobody waits for it and
// another model is asked for, and when the cache is destroyed (closing the window does not wait
// for a whole load).
//
// Bound: at most `capacity` networks are kept. Loading another evicts the least recently used one
// that is neither leased nor loading; when every entry is busy the cache goes over its bound
// until a lease ends.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <future>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/params/cancel_token.h"

namespace inceptionist {
class Network;
}

namespace inceptionist::ui {

class NetworkCache;

// Exclusive use of one cached network, until the lease is destroyed. Movable, not copyable;
// may be released on any thread.
class NetworkLease {
public:
    NetworkLease() = default;
    NetworkLease(NetworkLease&& other) noexcept;
    NetworkLease& operator=(NetworkLease&& other) noexcept;
    NetworkLease(const NetworkLease&) = delete;
    NetworkLease& operator=(const NetworkLease&) = delete;
    ~NetworkLease();

    explicit operator bool() const { return network_ != nullptr; }
    Network& network() const { return *network_; }
    Network* operator->() const { return network_; }
    // "model@device", the cache key.
    const std::string& key() const { return key_; }
    void release();

private:
    friend class NetworkCache;
    NetworkLease(NetworkCache* cache, std::string key, Network* network)
        : cache_(cache), key_(std::move(key)), network_(network) {}

    NetworkCache* cache_ = nullptr;
    std::string key_;
    Network* network_ = nullptr;
};

class NetworkCache {
public:
    // Loads `model` onto `device`; Network::load on the models folder by default. `stop` fires
    // when the load is no longer wanted: the loader may then throw Error(Cancelled).
    using Loader = std::function<std::shared_ptr<Network>(
        const std::string& model, const std::string& device, const CancelToken& stop)>;
    static constexpr size_t kDefaultCapacity = 2;  // a live model and a print's other model

    explicit NetworkCache(Loader loader, size_t capacity = kDefaultCapacity);
    // The standard loader: `modelsDir` as given to modelsDirectory().
    static Loader loaderFor(const std::string& modelsDir);
    // Loads from now on go through `loader` (another models folder); loaded networks stay.
    void setLoader(Loader loader);
    // The cache key of (model, device), "model@device", as NetworkLease::key() gives it.
    static std::string keyOf(const std::string& model, const std::string& device) {
        return model + "@" + device;
    }
    // Stops the loads still running and waits for their threads; no lease may be held.
    ~NetworkCache();
    NetworkCache(const NetworkCache&) = delete;
    NetworkCache& operator=(const NetworkCache&) = delete;

    // The network for (model, device), loading it if needed and waiting while another user holds
    // it. Throws Error(Cancelled) as soon as `cancel` fires, and the loader's error if it fails
    // (a failed load is not cached, so the next request tries again).
    NetworkLease acquire(const std::string& model, const std::string& device,
                         const CancelToken& cancel = {});
    // The network if it is loaded and free now; an empty lease otherwise. Never waits or loads.
    NetworkLease tryAcquire(const std::string& model, const std::string& device);

    size_t size();
    bool contains(const std::string& model, const std::string& device);
    // Drops every network that is neither leased nor loading (to free memory).
    void clear();

private:
    friend class NetworkLease;
    struct Entry {
        std::string key;
        std::shared_future<std::shared_ptr<Network>> loading;  // valid while or after loading
        std::shared_ptr<Network> network;                      // set once loaded
        bool leased = false;
        int waiters = 0;   // callers of acquire() waiting for this entry
        CancelToken stop;  // stops the load
    };
    using Entries = std::list<Entry>;  // most recently used first

    void release(const std::string& key);
    Entries::iterator find(const std::string& key);
    void evictBeyond(size_t capacity);
    // Stops and forgets the loads nobody waits for any more.
    void stopAbandonedLoads();

    Loader loader_;
    size_t capacity_;
    std::mutex mutex_;
    std::condition_variable changed_;  // a lease ended or a load finished
    Entries entries_;
    struct LoaderThread {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> finished;  // set once it no longer needs mutex_
    };
    void joinFinishedLoaders();          // under mutex_
    std::vector<LoaderThread> loaders_;  // joined when finished, or on destruction
};

}  // namespace inceptionist::ui
