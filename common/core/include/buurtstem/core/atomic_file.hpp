#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <sys/types.h>

#include "buurtstem/core/result.hpp"

namespace buurtstem {

// Writes `content` to `path` so that readers see either the old file or the whole new one, never a
// half-written file: write a temp file beside it, fsync, rename, fsync the folder (as curl's altsvc.c).
// The temp file is removed on any error. The error names the path and the failing step.
// `mode` is the new file's permission: 0600 for secrets (device tokens) and residents' answers (exports).
Status<std::string> write_file_atomically(const std::filesystem::path& path, std::string_view content,
                                          mode_t mode = 0644);

} // namespace buurtstem
