#include "buurtstem/core/atomic_file.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace buurtstem {

namespace {

std::string describe(const std::string& step, const std::filesystem::path& path) {
    return "cannot " + step + " " + path.string() + ": " + std::strerror(errno);
}

} // namespace

Status<std::string> write_file_atomically(const std::filesystem::path& path, std::string_view content,
                                          mode_t mode) {
    // mkstemp makes a new file with a random name (O_EXCL, mode 0600): no prepared symlink or
    // concurrent writer can be followed or shared in a folder others can write to.
    std::string name = path.string() + ".tmp-XXXXXX";
    const int fd = ::mkstemp(name.data());
    const std::filesystem::path temp = name;
    if (fd < 0) {
        return fail(describe("create a file beside", path));
    }
    if (::fchmod(fd, mode) != 0) {
        const std::string error = describe("set permissions of", temp);
        ::close(fd);
        ::unlink(temp.c_str());
        return fail(error);
    }
    size_t written = 0;
    while (written < content.size()) {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            const std::string error = describe("write", temp);
            ::close(fd);
            ::unlink(temp.c_str());
            return fail(error);
        }
        written += static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0) {
        const std::string error = describe("flush", temp);
        ::close(fd);
        ::unlink(temp.c_str());
        return fail(error);
    }
    ::close(fd);
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        const std::string error = describe("replace", path);
        ::unlink(temp.c_str());
        return fail(error);
    }
    const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : ".";
    const int dir_fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {
        ::fsync(dir_fd);
        ::close(dir_fd);
    }
    return Unit{};
}

} // namespace buurtstem
