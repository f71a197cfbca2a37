#include "core/io/atomic_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/params/errors.h"

namespace inceptionist {
namespace fs = std::filesystem;

namespace {

// The permissions a new file gets from open(2) under the process's umask, read without changing
// it for other threads (/proc); 0644 where that is unavailable.
mode_t newFileMode() {
    mode_t mask = 022;
    if (FILE* status = std::fopen("/proc/self/status", "r")) {
        char line[256];
        while (std::fgets(line, sizeof line, status))
            if (std::sscanf(line, "Umask: %o", &mask) == 1) break;
        std::fclose(status);
    }
    return 0666 & ~mask;
}

}  // namespace

AtomicFile::AtomicFile(const std::string& path) : path_(path) {
    const fs::path target = fs::absolute(path);
    const fs::path dir = target.parent_path();
    if (!fs::is_directory(dir))
        throw Error(ErrorKind::Output, path + ": folder " + dir.string() + " does not exist");
    directory_ = dir.string();
    temporary_ = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
    fd_ = mkstemp(temporary_.data());
    if (fd_ < 0) {
        const int err = errno;
        temporary_.clear();
        throw Error(ErrorKind::Output, path + ": cannot create a file in " + dir.string() + " (" +
                                           std::strerror(err) + ")");
    }
}

AtomicFile::~AtomicFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_ && !temporary_.empty()) ::unlink(temporary_.c_str());
}

void AtomicFile::fail(const char* step, int err) {
    throw Error(ErrorKind::Output,
                path_ + ": cannot " + step + " (" + std::strerror(err) + "); nothing was replaced");
}

void AtomicFile::write(const unsigned char* data, size_t size) {
    if (fd_ < 0) fail("write file", EBADF);  // committed already
    size_t written = 0;
    while (written < size) {
        const ssize_t n = ::write(fd_, data + written, size - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("write file", errno);
        }
        if (n == 0) fail("write file", ENOSPC);
        written += static_cast<size_t>(n);
    }
}

void AtomicFile::commit() {
    if (fd_ < 0) fail("write file", EBADF);  // committed already
    // The file keeps the permissions of the one it replaces, else those of a new file.
    struct stat existing {};
    const mode_t mode = ::stat(fs::absolute(path_).c_str(), &existing) == 0
                            ? existing.st_mode & 07777
                            : newFileMode();
    if (::fchmod(fd_, mode) != 0) fail("set the file's permissions", errno);
    // Every byte on the disk before the name points at it: a crash after the rename finds the
    // whole new file, one before it the whole old one.
    if (::fsync(fd_) != 0) fail("flush the file to disk", errno);
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail("close the file", errno);
    if (::rename(temporary_.c_str(), fs::absolute(path_).c_str()) != 0)
        fail("rename the finished file into place", errno);
    committed_ = true;
    // The rename itself is on the disk only once the folder is.
    const int dir = ::open(directory_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0 || ::fsync(dir) != 0) {
        const int err = errno;
        if (dir >= 0) ::close(dir);
        throw Error(ErrorKind::Output, path_ +
                                           ": written, but its folder could not be flushed to "
                                           "disk (" +
                                           std::strerror(err) + ")");
    }
    ::close(dir);
}

}  // namespace inceptionist
