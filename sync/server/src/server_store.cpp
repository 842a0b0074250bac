#include "buurtstem/server/server_store.hpp"

#include <sodium.h>

#include <array>
#include <set>

namespace buurtstem {

namespace {

std::string blake2b_hex(const std::string& data) {
    if (sodium_init() < 0) {
        throw std::runtime_error("libsodium could not initialise");
    }
    std::array<unsigned char, crypto_generichash_BYTES> hash{};
    crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(data.data()),
                       data.size(), nullptr, 0);
    std::array<char, crypto_generichash_BYTES * 2 + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
    return std::string(hex.data());
}

void append_field(std::string& out, const std::string& field) {
    // Length-prefixed, so no choice of field contents can make two different responses look alike.
    out += std::to_string(field.size());
    out += ':';
    out += field;
}

} // namespace

std::string response_fingerprint(const CompletedResponse& r) {
    std::string canonical;
    for (const std::string* field :
         {&r.id, &r.consultation_id, &r.device_id, &r.language, &r.started_at, &r.completed_at}) {
        append_field(canonical, *field);
    }
    append_field(canonical, std::to_string(r.consultation_version));
    for (const Answer& a : r.answers) {
        append_field(canonical, a.question_id);
        append_field(canonical, a.value);
    }
    return blake2b_hex(canonical);
}

std::string token_hash(const std::string& token) {
    return blake2b_hex(token);
}

} // namespace buurtstem

namespace buurtstem {

// [SECTION] Defaults for what a store may not implement yet (see server_store.hpp)

Result<std::vector<std::string>, ServerStoreError>
ServerStore::answered_question_ids(const std::string& consultation_id) {
    std::set<std::string> ids;
    auto visited = for_each_response(consultation_id, [&](const StoredResponse& stored) {
        for (const Answer& a : stored.response.answers) {
            ids.insert(a.question_id);
        }
    });
    if (!visited) {
        return fail(visited.error());
    }
    return std::vector<std::string>(ids.begin(), ids.end());
}

namespace {
ServerStoreError no_results() {
    return {ServerStoreError::Kind::Failed, "result texts are not kept in this store"};
}
} // namespace

Status<ServerStoreError> ServerStore::set_result_text(const std::string&, const ResultText&) {
    return fail(no_results());
}

Result<std::optional<ConsultationResult>, ServerStoreError> ServerStore::result_for(const std::string&) {
    return fail(no_results());
}

Result<std::vector<ConsultationResult>, ServerStoreError> ServerStore::all_results() {
    return fail(no_results());
}

} // namespace buurtstem
