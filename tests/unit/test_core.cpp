// common/core: atomic file writes and the command-line conventions.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <sstream>

#include "buurtstem/core/atomic_file.hpp"
#include "buurtstem/core/command_line.hpp"
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

namespace {

struct Parsed {
    std::optional<int> exit_code;
    std::string out;
    std::string err;
};

// A program with a subcommand, as the server's: `prog serve --db FILE [--port N] [--verbose]`.
Parsed parse(std::vector<const char*> argv, std::string* db = nullptr, std::string* port = nullptr) {
    CLI::App app{"test program", "prog"};
    use_command_line_conventions(app);
    CLI::App* serve = app.add_subcommand("serve", "serve it");
    std::string db_value;
    std::string port_value = "8443";
    bool verbose = false;
    serve->add_option("--db", db_value, "the store")->required();
    serve->add_option("--port", port_value, "the port");
    serve->add_flag("--verbose", verbose, "say more");
    std::ostringstream out;
    std::ostringstream err;
    argv.insert(argv.begin(), "prog");
    Parsed parsed{parse_command_line(app, static_cast<int>(argv.size()), argv.data(), out, err), out.str(),
                  err.str()};
    if (db != nullptr) {
        *db = db_value;
    }
    if (port != nullptr) {
        *port = port_value;
    }
    return parsed;
}

} // namespace

TEST_CASE("the command line: values read, the last of a repeated option wins, a negative number is a value") {
    std::string db;
    std::string port;
    const Parsed p =
        parse({"serve", "--db", "a.sqlite", "--port", "1", "--db", "b.sqlite", "--port", "-1"}, &db, &port);
    CHECK_FALSE(p.exit_code.has_value());
    CHECK(db == "b.sqlite");
    CHECK(port == "-1"); // the program, not the parser, says why -1 is no port
    CHECK(p.err.empty());
}

TEST_CASE("the command line: --help prints the subcommand's options and exits 0") {
    const Parsed p = parse({"serve", "--help"});
    CHECK(p.exit_code == 0);
    CHECK(p.out.find("--db") != std::string::npos);
    CHECK(p.out.find("--port") != std::string::npos);
    CHECK(p.out.find("the store") != std::string::npos);
    CHECK(p.err.empty());
}

TEST_CASE("the command line: what cannot be parsed exits 2, naming the option and the reason") {
    struct Case {
        std::vector<const char*> argv;
        std::string says;
    };
    for (const Case& c : std::vector<Case>{
             {{"serve", "--db", "x", "--onbekend", "1"}, "--onbekend"},
             {{"serve", "--db"}, "--db"},
             {{"serve", "--port", "1"}, "--db is required"},
             {{"serve", "--onbekend"}, "--onbekend"}, // named before the missing --db
             {{"serve", "--db", "x", "--verbose=ja"}, "--verbose"},
             {{"bedien"}, "bedien"},
         }) {
        const Parsed p = parse(c.argv);
        INFO(c.says << ": " << p.err);
        CHECK(p.exit_code == 2);
        CHECK(p.err.find(c.says) != std::string::npos);
        CHECK(p.err.rfind("prog", 0) == 0);
        CHECK(p.err.find("--help") != std::string::npos);
    }
}
