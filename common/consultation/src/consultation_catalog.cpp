#include "buurtstem/consultation/consultation_catalog.hpp"

#include <limits>

namespace buurtstem {

ConsultationCatalog::ConsultationCatalog(std::vector<Consultation> consultations) {
    for (Consultation& c : consultations) {
        auto key = std::make_pair(c.id, c.version);
        by_key_.insert_or_assign(std::move(key), std::move(c));
    }
}

const Consultation* ConsultationCatalog::find(const std::string& id, int version) const {
    auto it = by_key_.find({id, version});
    return it == by_key_.end() ? nullptr : &it->second;
}

const Consultation* ConsultationCatalog::latest(const std::string& id) const {
    const Consultation* best = nullptr;
    for (const auto& [key, consultation] : by_key_) {
        if (key.first == id) {
            best = &consultation; // the map is sorted by version within an id
        }
    }
    return best;
}

std::vector<const Consultation*> ConsultationCatalog::latest_of_each() const {
    std::vector<const Consultation*> out;
    for (const auto& [key, consultation] : by_key_) {
        // Sorted by (id, version): the last entry of each id is its newest version.
        if (!out.empty() && out.back()->id == key.first) {
            out.back() = &consultation;
        } else {
            out.push_back(&consultation);
        }
    }
    return out;
}

std::vector<const Consultation*> ConsultationCatalog::versions_of(const std::string& id) const {
    std::vector<const Consultation*> out;
    for (auto it = by_key_.lower_bound({id, std::numeric_limits<int>::min()});
         it != by_key_.end() && it->first.first == id; ++it) {
        out.push_back(&it->second);
    }
    return out;
}

} // namespace buurtstem
