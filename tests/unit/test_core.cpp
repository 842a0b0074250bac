// common/core: atomic file writes and the command-line reader.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include "buurtstem/core/args.hpp"
#include "buurtstem/core/atomic_file.hpp"
#include "test_support.hpp"

using namespace buurtstem;
using buurtstem::test::TempDir;

TEST_CASE("write_file_atomically writes the whole file with the mode asked for, and leaves no temp file") {
    TempDir dir;
    const auto path = dir / "token";
    REQUIRE(write_file_atomically(path, "oud\n", 0600).ok());
    REQUIRE(write_file_atomically(path, "nieuw\n", 0600).ok());
    CHECK(buurtstem::test::read_file(path) == "nieuw\n");
    struct stat info {};
    REQUIRE(stat(path.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    size_t files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) {
        ++files;
    }
    CHECK(files == 1);
}

TEST_CASE("write_file_atomically names the path when it cannot write, and keeps the old file") {
    TempDir dir;
    auto missing = write_file_atomically(dir / "nergens" / "export.csv", "x");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().find("nergens") != std::string::npos);
}

TEST_CASE("Args reads options, flags and words, and reports what it did not understand") {
    const char* argv[] = {"prog", "serve", "--db", "x.sqlite", "--fullscreen", "--onbekend", "1", "--port"};
    Args args(8, const_cast<char**>(argv), {"--fullscreen"});
    CHECK(args.positional() == std::vector<std::string>{"serve"});
    CHECK(args.value("--db") == "x.sqlite");
    CHECK(args.flag("--fullscreen"));
    CHECK(args.value_or("--host", "127.0.0.1") == "127.0.0.1");
    const auto problems = args.problems();
    REQUIRE(problems.size() == 2);
    CHECK(problems[0] == "option --port needs a value");
    CHECK(problems[1] == "unknown option --onbekend");
}
