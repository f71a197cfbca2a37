#include "core/memory_reuse.h"

#include <malloc.h>

#include <mutex>

namespace inceptionist {

void keepFreedMemoryForReuse() {
    static std::once_flag once;
    std::call_once(once, [] {
        mallopt(M_MMAP_THRESHOLD, 32 << 20);
        mallopt(M_TRIM_THRESHOLD, 1 << 30);
    });
}

void releaseFreedMemory() { malloc_trim(0); }

}  // namespace inceptionist
