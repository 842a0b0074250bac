// The conventions every Buurtstem program's command line follows, on top of CLI11 (Debian libcli11-dev):
//   --help (and -h) on the program and on each subcommand: its options and what they do, on standard
//   output, exit 0;
//   a command line that cannot be parsed (an unknown option, a missing or malformed value, a missing
//   required option): "PROGRAM: REASON" naming the option, then where --help is, on standard error, exit 2;
//   an option given twice: the last one wins, as in most Unix tools (scripts append overrides).
#pragma once

#include <CLI/CLI.hpp>

#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace buurtstem {

// Call on a new app before adding options or subcommands (subcommands copy these defaults).
inline void use_command_line_conventions(CLI::App& app) {
    app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
}

// Parses argv into `app`. Returns the exit code when the program ends here (0 after --help, 2 after a
// bad command line, both already printed), nullopt when it goes on.
// `out` and `err` are for tests.
inline std::optional<int> parse_command_line(CLI::App& app, int argc, const char* const* argv,
                                             std::ostream& out = std::cout, std::ostream& err = std::cerr) {
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        out << app.help(); // the help of the subcommand given, if any
        return 0;
    } catch (const CLI::CallForAllHelp&) {
        out << app.help("", CLI::AppFormatMode::All);
        return 0;
    } catch (const CLI::ParseError& e) {
        // The deepest subcommand reached, so the hint points at the --help that lists the option.
        std::string where = app.get_name();
        for (const CLI::App* sub = &app; !sub->get_subcommands().empty();) {
            sub = sub->get_subcommands().front();
            where += " " + sub->get_name();
        }
        // CLI11 checks for missing required options before it reports words it did not expect; a
        // mistyped option name is the truer reason, so it comes first.
        const std::vector<std::string> unexpected = app.remaining(true);
        if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr && !unexpected.empty()) {
            err << where << ": " << CLI::ExtrasError(unexpected).what() << "\n";
        }
        err << where << ": " << e.what() << "\nRun '" << where << " --help' for its options.\n";
        return 2;
    }
    return std::nullopt;
}

} // namespace buurtstem
