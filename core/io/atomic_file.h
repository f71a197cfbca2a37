#pragma once
// A file written under a temporary name in its destination folder and renamed into place on
// commit(), so readers see the old file or the whole new one, never a part. Destroyed without
// commit(), it removes the temporary file. Every write of the project goes through here (images,
// prints, contact sheets, presets, the autosaved session): each step is checked, the file is
// flushed to disk (fsync) before the rename and the folder after it, so neither a full disk nor
// a crash can leave a bad file where a good one was.

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
    // Flushes to disk and renames over the destination, keeping an existing file's permissions,
    // then flushes the folder. Throws Error(Output) naming the file and the step that failed.
    void commit();

private:
    [[noreturn]] void fail(const char* step, int err);

    std::string path_, temporary_, directory_;
    int fd_ = -1;
    bool committed_ = false;
};

}  // namespace inceptionist
