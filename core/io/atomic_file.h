#pragma once
// A file written under a temporary name in its destination folder and renamed into place on
// commit(), so readers see the old file or the whole new one, never a part. Destroyed without
// commit(), it removes the temporary file.

#include <string>
#include <vector>

namespace inceptionist {

class AtomicFile {
public:
    // Throws Error(Output) naming `path` if the folder is missing or not writable.
    explicit AtomicFile(const std::string& path);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    int fd() const { return fd_; }  // open for writing until commit()
    const std::string& temporaryPath() const { return temporary_; }
    void write(const unsigned char* data, size_t size);
    // Flushes to disk and renames over the destination. Throws Error(Output).
    void commit();

private:
    [[noreturn]] void fail(int err);

    std::string path_, temporary_;
    int fd_ = -1;
    bool committed_ = false;
};

}  // namespace inceptionist
