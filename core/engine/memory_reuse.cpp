#include "core/engine/memory_reuse.h"

#include <malloc.h>

#include <array>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <new>

namespace inceptionist {

namespace {

struct FreeDeleter {
    void operator()(void* p) const { std::free(p); }
};

struct Scratch {
    std::unique_ptr<void, FreeDeleter> data;
    size_t bytes = 0;
};

constexpr size_t kAlignment = 64;
constexpr int kSlots = 4;
thread_local std::array<Scratch, kSlots> scratch;

}  // namespace

void keepFreedMemoryForReuse() {
    static std::once_flag once;
    std::call_once(once, [] {
        mallopt(M_MMAP_THRESHOLD, 32 << 20);
        mallopt(M_TRIM_THRESHOLD, 1 << 30);
    });
}

void* threadScratch(int slot, size_t bytes) {
    Scratch& s = scratch.at(static_cast<size_t>(slot));
    if (bytes > s.bytes) {
        const size_t rounded = (bytes + kAlignment - 1) / kAlignment * kAlignment;
        s.data.reset();  // free the old one first: no need to hold both
        s.data.reset(std::aligned_alloc(kAlignment, rounded));
        if (!s.data) throw std::bad_alloc();
        s.bytes = rounded;
    }
    return s.data.get();
}

void releaseFreedMemory() {
    for (auto& s : scratch) {
        s.data.reset();
        s.bytes = 0;
    }
    malloc_trim(0);
}

}  // namespace inceptionist
