// USB bundles: pending responses carried from a kiosk without network to the server on a USB stick
// (issue 10, "no network for days"). PROTOCOL.md "USB bundles" has the format.
//
// The kiosk signs with its own Ed25519 key (made at enrolment or first start; its public key is
// registered with the server). The server verifies against the key registered for the device the bundle
// names, then stores the responses with the same exactly-once rules as an upload.
//
// File layout: one header line, then the payload bytes, signed exactly as they are (no JSON
// canonicalisation to get wrong):
//   buurtstem-usb-bundle 1 <device_id> <signature: 128 hex digits>\n
//   {"device_id": ..., "created_at": ..., "responses": [ <as in an upload> ],
//    "contacts": [ <contact batches of at most 200, each as the contacts route takes it> ]}
// "contacts" is optional (bundles written before contacts travelled have none).
// The signature covers "buurtstem-usb-bundle-v1\n" <device_id> "\n" <payload bytes>, so it cannot be
// moved to another device or to another kind of signed message.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "buurtstem/consultation/contact.hpp"
#include "buurtstem/consultation/response.hpp"
#include "buurtstem/core/result.hpp"
#include "buurtstem/protocol/protocol.hpp"

namespace buurtstem::usb_bundle {

// The largest bundle the server reads (about 100 000 responses); reading stops there.
inline constexpr size_t kMaxBundleBytes = 256 * 1024 * 1024;

struct DeviceKeyPair {
    std::string public_key_hex; // 32 bytes, 64 hex digits: what the server registers
    std::string secret_key_hex; // 64 bytes, 128 hex digits: never leaves the kiosk
};

[[nodiscard]] DeviceKeyPair generate_device_key();
// Whether `text` is 64 hex digits (a public key's spelling).
bool is_public_key_hex(std::string_view text);
// The public key of a secret key (libsodium keeps it in the secret key's second half); empty when
// `secret_key_hex` is not 128 hex digits.
std::string public_key_of(std::string_view secret_key_hex);

// The kiosk's key pair from `secret_key_file` (128 hex digits and a line break), made and written there
// first when the file does not exist (temp file + rename, fsync, mode 0600). Errors name the file.
[[nodiscard]] Result<DeviceKeyPair, std::string>
load_or_create_device_key(const std::filesystem::path& secret_key_file);

struct Contents {
    std::string device_id;
    std::string created_at;
    std::vector<CompletedResponse> responses;
    // The contact opt-ins waiting for the server: apart from the responses, as on the network (their own
    // route), in batches of at most protocol::kMaxContactBatchSize.
    std::vector<ContactEntry> contacts{};
    // Filled by open_bundle only. A response that breaks an upload's rule is refused alone, with its JSON
    // path, as an upload does (id empty when not even its id can be read); the others still count.
    std::vector<protocol::InvalidResponse> invalid{};
    // Filled by open_bundle only: a contact batch that cannot be read (refused whole, as the contacts
    // route refuses a bad batch), with the reason; the responses and the other batches still count.
    std::vector<std::string> contact_problems{};
};

// The bundle file's bytes. Fails only for a secret key that is not 128 hex digits.
[[nodiscard]] Result<std::string, std::string> sign_bundle(const Contents& contents,
                                                           std::string_view secret_key_hex);

// The device a bundle says it comes from (header only, nothing verified): to look its key up.
[[nodiscard]] Result<std::string, std::string> bundle_device(std::string_view bytes);

// Verifies the signature with `public_key_hex`, then reads the payload with the upload's checks. A bad
// signature, header or payload shape refuses the whole bundle ("signature does not match the key
// registered for device 'x' ..."); one bad response goes into `invalid`, one bad contact batch into
// `contact_problems` ("payload.responses[3].id: ...").
[[nodiscard]] Result<Contents, std::string> open_bundle(std::string_view bytes,
                                                        std::string_view public_key_hex);

} // namespace buurtstem::usb_bundle
