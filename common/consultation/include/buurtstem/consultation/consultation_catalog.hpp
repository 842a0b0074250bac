// Every consultation version a server knows, so it can check answers and label exports.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "buurtstem/consultation/consultation.hpp"

namespace buurtstem {

class ConsultationCatalog {
public:
    ConsultationCatalog() = default;
    explicit ConsultationCatalog(std::vector<Consultation> consultations);

    const Consultation* find(const std::string& id, int version) const;
    // The highest version of `id`, or nullptr.
    const Consultation* latest(const std::string& id) const;
    size_t size() const { return by_key_.size(); }
    // The highest version of every consultation, by id.
    std::vector<const Consultation*> latest_of_each() const;
    // Every version of `id` the catalog holds, oldest first.
    std::vector<const Consultation*> versions_of(const std::string& id) const;

private:
    std::map<std::pair<std::string, int>, Consultation> by_key_;
};

} // namespace buurtstem
