// `buurtstem-server check FILE|DIR...` and `serve --consultations DIR` on a folder holding entries that
// cannot be used (issue 9 item 3): check lists every one with its path and reason and exits 1; serve
// refuses to start and lists the same, instead of skipping them and taking uploads for them unchecked.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <fstream>

#include "server_fixture.hpp"

using namespace buurtstem;
using namespace buurtstem::test;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// The demo consultation beside a folder named like a file, a FIFO, a dangling link, a link loop and a
// link to /dev/zero.
void fill_bad_folder(const fs::path& folder) {
    fs::create_directories(folder);
    fs::copy_file(demo_consultations_folder() / "minimaregelingen.toml", folder / "minimaregelingen.toml");
    fs::create_directory(folder / "map.toml");
    REQUIRE(::mkfifo((folder / "pijp.toml").c_str(), 0600) == 0);
    fs::create_symlink("weg.toml", folder / "los.toml");
    fs::create_symlink("lus.toml", folder / "lus.toml");
    fs::create_symlink("/dev/zero", folder / "nul.toml");
}

void check_names_every_bad_entry(const std::string& output, const fs::path& folder) {
    CHECK(contains(output, (folder / "map.toml").string() + ": not a regular file: it is a folder"));
    CHECK(contains(output,
                   (folder / "pijp.toml").string() + ": not a regular file: it is a named pipe (FIFO)"));
    CHECK(contains(output,
                   (folder / "los.toml").string() +
                       ": cannot open: No such file or directory (it is a symbolic link to 'weg.toml'"));
    CHECK(contains(output,
                   (folder / "lus.toml").string() + ": cannot open: Too many levels of symbolic links"));
    CHECK(contains(output, (folder / "nul.toml").string() + ": not a regular file: it is a device"));
}

} // namespace

TEST_CASE("check passes the demo consultation, with plain-language warnings that do not block") {
    const CommandResult r =
        run_command({server_binary().string(), "check", demo_consultations_folder().string()});
    INFO(r.output);
    CHECK(r.exit_code == 0);
    CHECK(contains(r.output, "ok: " + (demo_consultations_folder() / "minimaregelingen.toml").string() +
                                 ": 'minimaregelingen-ijmond' version 1, 9 questions"));
    CHECK(contains(r.output,
                   "warning: question 'kent-regelingen' hint.nl: a sentence of 20 words (B1: at most 15)"));
    CHECK(contains(r.output, "2 usable, 0 cannot be used, 1 plain-language warnings"));
}

TEST_CASE("check lists every entry that cannot be used, and files given by name, and exits 1") {
    TempDir dir;
    const fs::path folder = dir / "consultations";
    fill_bad_folder(folder);
    std::ofstream(dir / "kapot.toml") << "format = 1\nid = \"Hoofdletters\"\n";
    const CommandResult r =
        run_command({server_binary().string(), "check", folder.string(), (dir / "kapot.toml").string(),
                     (dir / "bestaat-niet.toml").string()});
    INFO(r.output);
    CHECK(r.exit_code == 1);
    check_names_every_bad_entry(r.output, folder);
    CHECK(contains(r.output, (dir / "kapot.toml").string() + ":2:"));
    CHECK(contains(r.output,
                   (dir / "bestaat-niet.toml").string() + ": cannot open: No such file or directory"));
    CHECK(contains(r.output, "1 usable, 7 cannot be used"));
}

TEST_CASE("check without a file says what it needs") {
    const CommandResult r = run_command({server_binary().string(), "check"});
    CHECK(r.exit_code == 2);
    CHECK(contains(r.output, "check needs at least one consultation file or folder"));
}

TEST_CASE("serve refuses to start on a consultations folder with entries it cannot use, naming each") {
    TempDir dir;
    const TestPki pki = make_test_pki(dir.path());
    const fs::path folder = dir / "consultations";
    fill_bad_folder(folder);
    const CommandResult r =
        run_command({server_binary().string(), "serve", "--db", (dir / "server.db").string(), "--cert",
                     pki.server_cert.string(), "--key", pki.server_key.string(), "--port", "0",
                     "--consultations", folder.string()});
    INFO(r.output);
    CHECK(r.exit_code == 1);
    CHECK_FALSE(contains(r.output, "listening"));
    CHECK(contains(r.output, "cannot use the consultations in " + folder.string()));
    check_names_every_bad_entry(r.output, folder);
}
