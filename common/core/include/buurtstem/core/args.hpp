// A small command-line reader for "--name value" and "--flag" options, shared by the kiosk and server
// programs. It collects errors instead of exiting, so main() decides how to report them.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace buurtstem {

class Args {
public:
    // `flags` take no value; every other "--name" takes the next word as its value.
    Args(int argc, char** argv, std::set<std::string> flags);

    std::optional<std::string> value(const std::string& name);
    std::string value_or(const std::string& name, const std::string& fallback);
    bool flag(const std::string& name);
    // Words that are not options, in order (a subcommand, say).
    const std::vector<std::string>& positional() const { return positional_; }

    // Options given but never asked for, and options missing their value: call after all value()/flag()
    // calls. Empty when the command line was fine.
    std::vector<std::string> problems() const;

private:
    std::vector<std::pair<std::string, std::string>> options_;
    std::set<std::string> flags_given_;
    std::set<std::string> asked_;
    std::vector<std::string> positional_;
    std::vector<std::string> problems_;
};

} // namespace buurtstem
