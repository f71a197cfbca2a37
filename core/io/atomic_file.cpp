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

AtomicFile::AtomicFile(const std::string& path) : path_(path) {
    const fs::path target = fs::absolute(path);
    const fs::path dir = target.parent_path();
    if (!fs::is_directory(dir))
        throw Error(ErrorKind::Output, path + ": folder " + dir.string() + " does not exist");
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

void AtomicFile::fail(int err) {
    throw Error(ErrorKind::Output, path_ + ": cannot write file (" + std::strerror(err) + ")");
}

void AtomicFile::write(const unsigned char* data, size_t size) {
    size_t written = 0;
    while (written < size) {
        const ssize_t n = ::write(fd_, data + written, size - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail(errno);
        }
        written += static_cast<size_t>(n);
    }
}

void AtomicFile::commit() {
    if (fd_ < 0) fail(EBADF);  // committed already
    if (::fsync(fd_) != 0) fail(errno);
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail(errno);
    ::chmod(temporary_.c_str(), 0644);
    if (::rename(temporary_.c_str(), fs::absolute(path_).c_str()) != 0) fail(errno);
    committed_ = true;
}

}  // namespace inceptionist
