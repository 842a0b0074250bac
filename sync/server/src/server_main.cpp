// buurtstem-server: the central server program. One CLI11 app with a subcommand per command; each group of
// commands lives in a file of its own under cli/ (cli/cli.hpp lists them). `buurtstem-server --help` lists
// the commands, `buurtstem-server COMMAND --help` a command's options.
#include <iostream>

#include "buurtstem/core/command_line.hpp"
#include "cli/cli.hpp"

using namespace buurtstem;
using namespace buurtstem::server_cli;

int main(int argc, char** argv) {
    CLI::App app{"Buurtstem's central server: takes the kiosks' responses over HTTPS, serves the dashboard, "
                 "and exports what residents said.",
                 kProgram};
    use_command_line_conventions(app);
    // At most one; none is answered below with the list of commands (a required one would be reported
    // before an unknown option, which then went unnamed).
    app.require_subcommand(0, 1);
    Commands commands(app);
    add_serve_command(commands);
    add_device_commands(commands);
    add_consultation_commands(commands);
    add_response_commands(commands);
    add_staff_commands(commands);
    // After the subcommands: they would copy it.
    app.footer(
        "--db FILE is an SQLite file (created if missing), or a PostgreSQL database given as\n"
        "postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=require&...] (its tables are created or\n"
        "upgraded on first use; PGPASSWORD or ~/.pgpass avoid a password on the command line).\n"
        "Exit codes: 0 done, 1 the work failed, 2 a wrong command line, 3 import done in part.");
    if (const auto done = parse_command_line(app, argc, argv)) {
        return *done;
    }
    try {
        for (const Command& command : commands.all()) {
            if (command.app->parsed()) {
                return command.run();
            }
        }
    } catch (const std::exception& e) {
        std::cerr << kProgram << ": " << e.what() << "\n";
        return 1;
    }
    std::cerr << app.help();
    return 2;
}
