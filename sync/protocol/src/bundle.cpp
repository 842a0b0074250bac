#include "buurtstem/protocol/bundle.hpp"

#include <sodium.h>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <vector>

#include "buurtstem/consultation/consultation_loader.hpp"

namespace buurtstem::bundle {

namespace {

constexpr std::string_view kDomain = "buurtstem-consultation-bundle-v1\n";

std::string signed_message(const std::string& id, int version, std::string_view toml) {
    std::string message(kDomain);
    message += id;
    message += '\n';
    message += std::to_string(version);
    message += '\n';
    message += toml;
    return message;
}

} // namespace

void init_sodium() {
    if (sodium_init() < 0) {
        throw std::runtime_error("libsodium could not initialise");
    }
}

std::string to_base64(const unsigned char* data, size_t size) {
    std::string out(sodium_base64_encoded_len(size, sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1); // the terminating NUL
    return out;
}

// Exactly `expected` bytes, or nullopt for anything that is not base64 of that length.
std::optional<std::vector<unsigned char>> from_base64(std::string_view text, size_t expected) {
    std::vector<unsigned char> out(expected + 3);
    size_t length = 0;
    const char* end = nullptr;
    if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), " \t\r\n", &length, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != text.data() + text.size() || length != expected) {
        return std::nullopt;
    }
    out.resize(length);
    return out;
}

KeyPair generate_key_pair() {
    init_sodium();
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_keypair(pk, sk);
    KeyPair pair{to_base64(pk, sizeof pk), to_base64(sk, sizeof sk)};
    sodium_memzero(sk, sizeof sk);
    return pair;
}

Result<SignedBundle, std::string> sign_consultation(std::string_view toml, std::string_view secret_key_base64,
                                                    const std::string& source_name) {
    init_sodium();
    auto consultation = parse_consultation(toml, source_name);
    if (!consultation) {
        return fail(consultation.error().to_string());
    }
    auto sk = from_base64(secret_key_base64, crypto_sign_SECRETKEYBYTES);
    if (!sk) {
        return fail(std::string("the secret key is not base64 of a 64-byte Ed25519 secret key"));
    }
    SignedBundle bundle{consultation->id, consultation->version, std::string(toml), {}};
    const std::string message = signed_message(bundle.id, bundle.version, toml);
    unsigned char signature[crypto_sign_BYTES];
    crypto_sign_detached(signature, nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), sk->data());
    sodium_memzero(sk->data(), sk->size());
    bundle.signature = to_base64(signature, sizeof signature);
    return bundle;
}

Status<std::string> verify_bundle(const SignedBundle& bundle, std::string_view public_key_base64) {
    init_sodium();
    auto pk = from_base64(public_key_base64, crypto_sign_PUBLICKEYBYTES);
    if (!pk) {
        return fail(std::string("council_public_key is not base64 of a 32-byte Ed25519 public key"));
    }
    auto signature = from_base64(bundle.signature, crypto_sign_BYTES);
    if (!signature) {
        return fail("bundle '" + bundle.id + "': signature is not base64 of 64 bytes");
    }
    const std::string message = signed_message(bundle.id, bundle.version, bundle.toml);
    if (crypto_sign_verify_detached(signature->data(), reinterpret_cast<const unsigned char*>(message.data()),
                                    message.size(), pk->data()) != 0) {
        return fail("bundle '" + bundle.id + "' version " + std::to_string(bundle.version) +
                    ": bad signature (not signed by the council key in this kiosk's configuration, "
                    "or changed after signing)");
    }
    // Signed, so the council wrote it; still check it loads here, so a kiosk never switches to a
    // consultation it cannot show.
    auto consultation = parse_consultation(bundle.toml, bundle.id + ".toml");
    if (!consultation) {
        return fail("bundle '" + bundle.id + "': " + consultation.error().to_string());
    }
    if (consultation->id != bundle.id || consultation->version != bundle.version) {
        return fail("bundle '" + bundle.id + "' version " + std::to_string(bundle.version) +
                    ": its TOML says id '" + consultation->id + "' version " +
                    std::to_string(consultation->version));
    }
    return Unit{};
}

std::string encode_bundle(const SignedBundle& bundle) {
    const nlohmann::json j = {{"format", 1},
                              {"id", bundle.id},
                              {"version", bundle.version},
                              {"toml", bundle.toml},
                              {"signature", bundle.signature}};
    return j.dump(2) + "\n";
}

Result<SignedBundle, std::string> decode_bundle(std::string_view json) {
    const nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
    if (j.is_discarded()) {
        return fail(std::string("bundle: not valid JSON"));
    }
    if (!j.is_object()) {
        return fail(std::string("bundle: must be a JSON object"));
    }
    for (const char* name : {"id", "toml", "signature"}) {
        if (!j.contains(name) || !j[name].is_string()) {
            return fail(std::string("bundle.") + name + ": missing or not a string");
        }
    }
    if (!j.contains("format") || !j["format"].is_number_integer() || j["format"].get<int64_t>() != 1) {
        return fail(std::string("bundle.format: must be 1"));
    }
    if (!j.contains("version") || !j["version"].is_number_integer() || j["version"].get<int64_t>() < 1 ||
        j["version"].get<int64_t>() > 1000000) {
        return fail(std::string("bundle.version: must be a whole number from 1"));
    }
    return SignedBundle{j["id"].get<std::string>(), j["version"].get<int>(), j["toml"].get<std::string>(),
                        j["signature"].get<std::string>()};
}

bool is_public_key(std::string_view text) {
    init_sodium();
    return from_base64(text, crypto_sign_PUBLICKEYBYTES).has_value();
}

std::string sha256_hex(std::string_view bytes) {
    init_sodium();
    unsigned char hash[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(hash, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    return std::string(hex);
}

} // namespace buurtstem::bundle
