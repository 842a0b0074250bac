// Signed consultation bundles: how a consultation travels from the council to the kiosks.
//
// The council signs a consultation's TOML bytes with an Ed25519 key (libsodium crypto_sign) that never
// lives on the server; the server only stores and serves the signed bundle; each kiosk verifies it with
// the council's public key from its own configuration. So a server that is broken into cannot put
// questions on the kiosks.
//
// What is signed (detached signature) is, byte for byte:
//   "buurtstem-consultation-bundle-v1\n" <id> "\n" <version> "\n" <the TOML bytes>
// so a signature cannot be moved to another id or version, nor to another kind of signed message.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "buurtstem/core/result.hpp"

namespace buurtstem::bundle {

struct KeyPair {
    std::string public_key; // base64 (standard, with padding) of the 32-byte Ed25519 public key
    std::string secret_key; // base64 of the 64-byte Ed25519 secret key
};

struct SignedBundle {
    std::string id;
    int version = 0;
    std::string toml;      // the consultation file, exactly as signed
    std::string signature; // base64 of the 64-byte detached signature
};

[[nodiscard]] KeyPair generate_key_pair();

// Signs `toml` (a consultation file; its id and version are read from it). Errors: the TOML does not
// load as a consultation (file:line from the loader, under `source_name`), or the key is not a key.
[[nodiscard]] Result<SignedBundle, std::string>
sign_consultation(std::string_view toml, std::string_view secret_key_base64, const std::string& source_name);

// Checks the signature with the council's public key, then that the TOML loads as a consultation whose
// id and version are the bundle's. Every error says which of these failed.
[[nodiscard]] Status<std::string> verify_bundle(const SignedBundle& bundle,
                                                std::string_view public_key_base64);

// The bundle as JSON: {"format":1,"id":...,"version":...,"toml":...,"signature":...}.
std::string encode_bundle(const SignedBundle& bundle);
// Errors name the JSON path.
[[nodiscard]] Result<SignedBundle, std::string> decode_bundle(std::string_view json);

// Whether `text` is base64 of a 32-byte Ed25519 public key (to check a configuration at load time).
bool is_public_key(std::string_view text);

// SHA-256 of `bytes`, lower-case hex (what the consultation list gives per bundle).
std::string sha256_hex(std::string_view bytes);

// [SECTION] Helpers shared with result_bundle.cpp
// Throws when libsodium cannot start (no entropy source): nothing can be signed or checked then.
void init_sodium();
std::string to_base64(const unsigned char* data, size_t size);
// Exactly `expected` bytes, or nullopt for anything that is not base64 of that length.
std::optional<std::vector<unsigned char>> from_base64(std::string_view text, size_t expected);

} // namespace buurtstem::bundle
