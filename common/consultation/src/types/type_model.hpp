// Inside the consultation library only: the part of a question type that reads the TOML file, and the
// loader's parsing primitives a type may use. Kept out of the public header so that toml++ stays private.
#pragma once

#include <toml++/toml.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "buurtstem/consultation/consultation.hpp"

namespace buurtstem {

// Implemented by the loader. Every failure throws out to parse_consultation, which reports it with the
// file, line and column of `at` and the question it belongs to.
class TypeParser {
public:
    // options = [ { id = "ja", nl = "Ja", en = "Yes" }, ... ]; required, 2 to 12.
    virtual std::vector<Option> options(const toml::table& question) = 0;
    // labels.nl = ["..." x5]; optional (empty map when absent).
    virtual std::map<std::string, std::vector<std::string>> scale_labels(const toml::table& question) = 0;
    // A whole number from min to max, or nullopt when the key is absent.
    virtual std::optional<int64_t> integer(const toml::table& question, std::string_view key, int64_t min,
                                           int64_t max) = 0;
    [[noreturn]] virtual void fail(const toml::table& question, std::string_view key,
                                   const std::string& message) = 0;

protected:
    ~TypeParser() = default;
};

class TypeModel : public QuestionType {
public:
    // Keys of [[question]] this type adds to the common ones (id, type, text, hint, required, show_if).
    virtual std::vector<std::string_view> keys() const = 0;
    // Reads those keys into `q`; the common keys are already read. Fails through `parser` with the
    // key's line and column.
    virtual void parse(const toml::table& table, Question& q, TypeParser& parser) const = 0;
};

// Every registered type, in the order error messages list them (registry.cpp).
const std::vector<const TypeModel*>& type_models();
const TypeModel* find_type_model(std::string_view name);

// [SECTION] Helpers shared by several types (type_support.cpp)
// "1".."points" -> number, or nullopt.
std::optional<int> scale_point(std::string_view value, int points);
std::optional<std::string> check_scale(const Question& q, std::string_view value, int points,
                                       std::string_view what);
// Counts per option (in option order) of answers holding that option id (single or listed).
std::vector<TallyRow> tally_options(const Question& q, const std::vector<ValueCount>& counted,
                                    std::string_view language, bool listed);
// Counts per point 1..points, then the mean.
std::vector<TallyRow> tally_scale(const std::vector<ValueCount>& counted, int points);
// A ','-list of distinct option ids of `q`; nullopt when fine.
std::optional<std::string> check_option_list(const Question& q, std::string_view value);

} // namespace buurtstem
