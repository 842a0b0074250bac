// The buurtstem-server program's command line: one CLI11 app, a subcommand per command, registered by the
// cmd_*.cpp files of this folder (one file per command group). This header holds what they share: the
// list of commands with what each runs, the --db option and opening the store it names, and the error
// output every command uses.
//
// Exit codes, the same for every command: 0 done, 1 the work failed (a file, the store, the network),
// 2 the command line was wrong (an unknown option, a missing or malformed value: named in the message),
// 3 done in part (import: some responses rejected or not stored yet).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "buurtstem/consultation/consultation_catalog.hpp"
#include "buurtstem/core/result.hpp"
#include "buurtstem/server/server_store.hpp"

namespace buurtstem::server_cli {

inline constexpr const char* kProgram = "buurtstem-server";

// What a subcommand does once its command line has parsed; returns the exit code.
using Run = std::function<int()>;

struct Command {
    CLI::App* app;
    Run run;
};

// Every subcommand, in the order of `buurtstem-server --help`.
class Commands {
public:
    explicit Commands(CLI::App& root) : root_(root) {}
    // A subcommand of the root app, with `summary` on the --help list and `details` under it in its own
    // --help (may be empty).
    CLI::App* add(const std::string& name, const std::string& summary, const std::string& details = "");
    // What `app` runs when it is the subcommand given; `app` must come from add().
    void on_run(CLI::App* app, Run run) { commands_.push_back({app, std::move(run)}); }
    const std::vector<Command>& all() const { return commands_; }

private:
    CLI::App& root_;
    std::vector<Command> commands_;
};

// The groups, one file each: cmd_serve.cpp, cmd_devices.cpp, cmd_consultations.cpp,
// cmd_responses.cpp, cmd_staff.cpp.
void add_serve_command(Commands& commands);
void add_device_commands(Commands& commands);
void add_consultation_commands(Commands& commands);
void add_response_commands(Commands& commands);
void add_staff_commands(Commands& commands);

// [SECTION] Shared options and helpers

// --db FILE|URL, required: the store of every command that has one.
void add_db_option(CLI::App* command, std::string& db);

// An option whose presence matters (--out: a file, or standard output without it).
CLI::Option* add_optional(CLI::App* command, const std::string& name, std::optional<std::string>& target,
                          const std::string& description);

// The server store `db` names (an SQLite file, or postgresql://...), or nullptr after saying why.
std::unique_ptr<ServerStore> open_store(const std::string& db);

// "buurtstem-server: MESSAGE" on stderr; returns 1 (the work failed).
int fail_with(const std::string& message);

// A command line that parsed but does not make sense (a value out of range): says so, names the command's
// --help, and returns 2.
int usage_error(const std::string& command, const std::string& message);

// A whole number from `low` to `high`, the whole text, or nullopt.
std::optional<int> parse_int(const std::string& text, int low, int high);

// A file's whole content, or nullopt when it cannot be read.
std::optional<std::string> read_whole(const std::string& path);

// A key file as keygen wrote it (base64 on one line), without its line break.
Result<std::string, std::string> read_key_file(const std::string& path);

// Every consultation in `folder` (none for ""), or every reason some entry of it cannot be used: a server
// that quietly left one out would take uploads for it unchecked.
Result<ConsultationCatalog, std::string> load_catalog(const std::string& folder);

// The consultations in `folder` and the store `db` names, for the commands that check responses against
// the consultations (export, import); nullopt after saying why not.
struct CatalogAndStore {
    ConsultationCatalog catalog;
    std::unique_ptr<ServerStore> store;
};
std::optional<CatalogAndStore> open_catalog_and_store(const std::string& folder, const std::string& db);

// The --consultations option of serve, export and import.
void add_consultations_option(CLI::App* command, std::string& folder);

} // namespace buurtstem::server_cli
