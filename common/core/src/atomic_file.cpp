#include "buurtstem/core/atomic_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace buurtstem {

namespace {

std::string describe(const std::string& step, const std::filesystem::path& path) {
    return "cannot " + step + " " + path.string() + ": " + std::strerror(errno);
}

} // namespace

Status<std::string> write_file_atomically(const std::filesystem::path& path, std::string_view content) {
    std::filesystem::path temp = path;
    temp += ".tmp-" + std::to_string(::getpid());
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        return fail(describe("create", temp));
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
