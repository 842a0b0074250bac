// Reading a small file that someone else wrote (a consultation, a config), safely: never blocks on a FIFO,
// never reads /dev/zero forever, and says the true reason when it cannot.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "buurtstem/core/result.hpp"

namespace buurtstem {

// The whole of the regular file at `path`, at most `max_bytes`. The error is the reason alone, for the
// caller to put after the path: "cannot open: No such file or directory", "cannot open: Permission
// denied", "cannot open: Too many levels of symbolic links (a loop of symbolic links)", "cannot open: No
// such file or directory (it is a symbolic link to 'x', which does not exist)", "not a regular file: it
// is a named pipe (FIFO)" (or a folder, a device, a socket), "too large: 2000000 bytes; at most 1048576
// are read".
[[nodiscard]] Result<std::string, std::string> read_small_file(const std::filesystem::path& path,
                                                               size_t max_bytes);

} // namespace buurtstem
