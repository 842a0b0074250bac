#include "buurtstem/server/http_route.hpp"

namespace buurtstem {

namespace {

bool path_matches(std::string_view pattern, std::string_view path) {
    if (!pattern.empty() && pattern.back() == '*') {
        pattern.remove_suffix(1);
        return path.substr(0, pattern.size()) == pattern;
    }
    return pattern == path;
}

} // namespace

const std::string& HttpRequest::header(std::string_view name) const {
    static const std::string kNone;
    const auto it = headers.find(std::string(name));
    return it == headers.end() ? kNone : it->second;
}

const Route* RouteTable::find(std::string_view method, std::string_view path) const {
    for (const Route& route : routes_) {
        if (route.method == method && path_matches(route.path, path)) {
            return &route;
        }
    }
    return nullptr;
}

bool RouteTable::has_path(std::string_view path) const {
    for (const Route& route : routes_) {
        if (path_matches(route.path, path)) {
            return true;
        }
    }
    return false;
}

} // namespace buurtstem
