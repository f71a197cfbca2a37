#pragma once
// Tells ThreadSanitizer about the order in which the project hands work and results between
// threads through Qt's event queue (a queued call or signal). Qt takes the queue's lock with
// futexes inside Debian's uninstrumented libQt6Core, which TSan cannot see, so without this it
// reports whatever a queued call carries (the event Qt allocates, the copies of its arguments,
// an image's pixels) as written on one thread and read on the other in no order.
//
// The sender opens a PostingScope on a channel (an address both sides know) around the Qt call
// that posts; the receiver calls acquire() on the same channel before it touches what arrived.
// Without TSan everything here is empty and compiles to nothing.

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
extern "C" {
// Exported by libtsan, not declared in its header.
void __tsan_ignore_thread_begin();
void __tsan_ignore_thread_end();
}
#endif

namespace inceptionist::handoff {

#if defined(__SANITIZE_THREAD__)

// What this thread did so far happens before what a thread does after acquire(channel).
inline void release(const void* channel) { __tsan_release(const_cast<void*>(channel)); }
inline void acquire(const void* channel) { __tsan_acquire(const_cast<void*>(channel)); }

// Releases the channel, then leaves this thread's memory accesses unrecorded while it lives:
// Qt builds and queues the event inside the posting call (partly in template code compiled
// into the project), after the release, and the receiver reads it only after taking it from
// the queue under Qt's lock. Keep the scope to the posting call and what must follow it on
// this thread (DreamWorker::send also destroys its copies of the values there): a slot
// connected directly would go unchecked too.
class PostingScope {
public:
    explicit PostingScope(const void* channel) {
        release(channel);
        __tsan_ignore_thread_begin();
    }
    ~PostingScope() { __tsan_ignore_thread_end(); }
    PostingScope(const PostingScope&) = delete;
    PostingScope& operator=(const PostingScope&) = delete;
};

#else

inline void release(const void*) {}
inline void acquire(const void*) {}

class PostingScope {
public:
    explicit PostingScope(const void*) {}
    PostingScope(const PostingScope&) = delete;
    PostingScope& operator=(const PostingScope&) = delete;
};

#endif

}  // namespace inceptionist::handoff
