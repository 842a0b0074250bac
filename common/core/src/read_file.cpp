#include "buurtstem/core/read_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace buurtstem {

namespace {

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    ~FileDescriptor() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    int get() const { return fd_; }

private:
    int fd_;
};

std::string kind_of(mode_t mode) {
    if (S_ISDIR(mode)) {
        return "a folder";
    }
    if (S_ISFIFO(mode)) {
        return "a named pipe (FIFO)";
    }
    if (S_ISCHR(mode) || S_ISBLK(mode)) {
        return "a device";
    }
    if (S_ISSOCK(mode)) {
        return "a socket";
    }
    return "not a file";
}

std::string open_failure(const std::filesystem::path& path, int error) {
    std::string reason = "cannot open: " + std::string(std::strerror(error));
    if (error == ENOENT) {
        // A dangling link: say where it points, the part a person has to fix.
        std::error_code ec;
        if (std::filesystem::is_symlink(std::filesystem::symlink_status(path, ec))) {
            const auto target = std::filesystem::read_symlink(path, ec);
            reason += " (it is a symbolic link to '" + target.string() + "', which does not exist)";
        }
    } else if (error == ELOOP) {
        reason += " (a loop of symbolic links)";
    }
    return reason;
}

} // namespace

Result<std::string, std::string> read_small_file(const std::filesystem::path& path, size_t max_bytes) {
    // Not std::ifstream: opening a FIFO for reading blocks until a writer comes, a link to /dev/zero never
    // ends, and a failed open says nothing about why. O_NONBLOCK: opening a FIFO must not wait for a
    // writer; regular files ignore the flag.
    const FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
    if (fd.get() < 0) {
        return fail(open_failure(path, errno));
    }
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) {
        return fail("cannot read: " + std::string(std::strerror(errno)));
    }
    if (!S_ISREG(info.st_mode)) {
        return fail("not a regular file: it is " + kind_of(info.st_mode));
    }
    const std::string limit = "; at most " + std::to_string(max_bytes) + " are read";
    if (static_cast<unsigned long long>(info.st_size) > max_bytes) {
        return fail("too large: " + std::to_string(info.st_size) + " bytes" + limit);
    }
    // Read with the cap, whatever the size said: the file may grow while it is read.
    std::string content;
    char buffer[65536];
    while (true) {
        const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return fail("cannot read: " + std::string(std::strerror(errno)));
        }
        if (n == 0) {
            break;
        }
        content.append(buffer, static_cast<size_t>(n));
        if (content.size() > max_bytes) {
            return fail("too large: more than " + std::to_string(max_bytes) + " bytes" + limit);
        }
    }
    return content;
}

} // namespace buurtstem
