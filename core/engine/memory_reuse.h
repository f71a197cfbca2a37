#pragma once
// Each ascent step allocates and frees the same few hundred megabytes of activations and
// gradients. By default glibc hands large freed blocks back to the system, and the next step pays
// a page fault for every 4 KiB it touches again: about a tenth of a step's time. These keep freed
// memory in the process for the next step, and give it back when the work is done.

#include <cstddef>

namespace inceptionist {

// Keeps freed blocks of up to 32 MiB (the largest glibc allows) for reuse. Once per process;
// Network::load calls it.
void keepFreedMemoryForReuse();

// A buffer of at least `bytes`, 64-byte aligned, that the calling thread keeps between calls: for
// scratch space that may be larger than glibc keeps. `slot` tells apart buffers in use at the
// same time. Valid until the same thread asks for the same slot again or releases its memory.
void* threadScratch(int slot, size_t bytes);

// Returns the memory kept for reuse to the system, the calling thread's scratch buffers included:
// for a long-running thread that has finished its work for now.
void releaseFreedMemory();

}  // namespace inceptionist
