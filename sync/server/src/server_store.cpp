#include "buurtstem/server/server_store.hpp"

#include <sodium.h>

#include <array>

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
    // Issue 10's fields count only when they differ from what a kiosk before them meant (kiosk, no
    // note, no event): a response stored before the upgrade and resent after it stays the same.
    if (r.channel != Channel::Kiosk || !r.note.empty() || r.event) {
        append_field(canonical, "v3");
        append_field(canonical, std::string(channel_name(r.channel)));
        append_field(canonical, r.note);
        if (r.event) {
            for (const std::string* field :
                 {&r.event->id, &r.event->name, &r.event->wijk, &r.event->municipality, &r.event->date}) {
                append_field(canonical, *field);
            }
        }
    }
    return blake2b_hex(canonical);
}

std::string token_hash(const std::string& token) {
    return blake2b_hex(token);
}

} // namespace buurtstem
