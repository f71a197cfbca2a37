#pragma once
// Each ascent step allocates and frees the same few hundred megabytes of activations and
// gradients. By default glibc hands large freed blocks back to the system, and the next step pays
// a page fault for every 4 KiB it touches again: about a tenth of a step's time. These keep freed
// memory in the process for the next step, and give it back when the work is done.

namespace inceptionist {

// Keeps freed blocks of up to 32 MiB (the largest glibc allows) for reuse. Once per process;
// Network::load calls it.
void keepFreedMemoryForReuse();

// Returns the memory kept for reuse to the system: for a long-running process that has finished
// its work for now.
void releaseFreedMemory();

}  // namespace inceptionist
