#include "buurtstem/core/args.hpp"

namespace buurtstem {

Args::Args(int argc, char** argv, std::set<std::string> flags) {
    for (int i = 1; i < argc; ++i) {
        const std::string word = argv[i];
        if (word.rfind("--", 0) != 0) {
            positional_.push_back(word);
        } else if (flags.contains(word)) {
            flags_given_.insert(word);
        } else if (i + 1 < argc) {
            options_.emplace_back(word, argv[++i]);
        } else {
            problems_.push_back("option " + word + " needs a value");
        }
    }
}

std::optional<std::string> Args::value(const std::string& name) {
    asked_.insert(name);
    std::optional<std::string> found;
    for (const auto& [key, value] : options_) {
        if (key == name) {
            found = value; // the last one wins, as in most Unix tools
        }
    }
    return found;
}

std::string Args::value_or(const std::string& name, const std::string& fallback) {
    return value(name).value_or(fallback);
}

bool Args::flag(const std::string& name) {
    asked_.insert(name);
    return flags_given_.contains(name);
}

std::vector<std::string> Args::problems() const {
    std::vector<std::string> problems = problems_;
    for (const auto& [key, value] : options_) {
        if (!asked_.contains(key)) {
            problems.push_back("unknown option " + key);
        }
    }
    for (const std::string& flag : flags_given_) {
        if (!asked_.contains(flag)) {
            problems.push_back("option " + flag + " does not apply here");
        }
    }
    return problems;
}

} // namespace buurtstem
