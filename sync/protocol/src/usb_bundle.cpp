#include "buurtstem/protocol/usb_bundle.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "buurtstem/core/atomic_file.hpp"
#include "buurtstem/core/slug.hpp"
#include "buurtstem/protocol/protocol.hpp"

namespace buurtstem::usb_bundle {

namespace {

constexpr std::string_view kMagic = "buurtstem-usb-bundle";
constexpr std::string_view kDomain = "buurtstem-usb-bundle-v1\n";

void require_sodium() {
    if (sodium_init() < 0) {
        throw std::runtime_error("libsodium could not initialise");
    }
}

std::string to_hex(const unsigned char* data, size_t size) {
    std::string hex(size * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), data, size);
    hex.pop_back();
    return hex;
}

// Exactly `size` bytes from exactly 2*size hex digits, or false.
bool from_hex(std::string_view hex, unsigned char* out, size_t size) {
    if (hex.size() != size * 2) {
        return false;
    }
    size_t written = 0;
    return sodium_hex2bin(out, size, hex.data(), hex.size(), nullptr, &written, nullptr) == 0 &&
           written == size;
}

std::string signed_message(std::string_view device_id, std::string_view payload) {
    std::string message(kDomain);
    message += device_id;
    message += '\n';
    message += payload;
    return message;
}

struct Split {
    std::string device_id;
    std::string signature_hex;
    std::string_view payload;
};

Result<Split, std::string> split(std::string_view bytes) {
    const size_t end = bytes.find('\n');
    if (end == std::string_view::npos || end > 512) {
        return fail(std::string("not a Buurtstem USB bundle (no header line)"));
    }
    const std::string_view header = bytes.substr(0, end);
    std::vector<std::string_view> words;
    size_t from = 0;
    while (from <= header.size()) {
        const size_t space = header.find(' ', from);
        words.push_back(header.substr(from, space == std::string_view::npos ? header.npos : space - from));
        if (space == std::string_view::npos) {
            break;
        }
        from = space + 1;
    }
    if (words.size() != 4 || words[0] != kMagic) {
        return fail(std::string("not a Buurtstem USB bundle (the first line must be '") +
                    std::string(kMagic) + " 1 DEVICE SIGNATURE')");
    }
    if (words[1] != "1") {
        return fail("USB bundle format " + std::string(words[1]) +
                    " is not known to this version (it reads 1)");
    }
    if (!is_slug(words[2])) {
        return fail(std::string("header: the device id is not a device id"));
    }
    return Split{std::string(words[2]), std::string(words[3]), bytes.substr(end + 1)};
}

} // namespace

DeviceKeyPair generate_device_key() {
    require_sodium();
    std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pk{};
    std::array<unsigned char, crypto_sign_SECRETKEYBYTES> sk{};
    crypto_sign_keypair(pk.data(), sk.data());
    DeviceKeyPair pair{to_hex(pk.data(), pk.size()), to_hex(sk.data(), sk.size())};
    sodium_memzero(sk.data(), sk.size());
    return pair;
}

bool is_public_key_hex(std::string_view text) {
    std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pk{};
    return from_hex(text, pk.data(), pk.size());
}

std::string public_key_of(std::string_view secret_key_hex) {
    require_sodium();
    std::array<unsigned char, crypto_sign_SECRETKEYBYTES> sk{};
    if (!from_hex(secret_key_hex, sk.data(), sk.size())) {
        return {};
    }
    std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pk{};
    crypto_sign_ed25519_sk_to_pk(pk.data(), sk.data());
    sodium_memzero(sk.data(), sk.size());
    return to_hex(pk.data(), pk.size());
}

Result<DeviceKeyPair, std::string> load_or_create_device_key(const std::filesystem::path& secret_key_file) {
    std::error_code ec;
    if (!std::filesystem::exists(secret_key_file, ec)) {
        if (ec) {
            return fail(secret_key_file.string() + ": " + ec.message());
        }
        DeviceKeyPair pair = generate_device_key();
        if (auto written = write_file_atomically(secret_key_file, pair.secret_key_hex + "\n", 0600);
            !written) {
            return fail(written.error());
        }
        return pair;
    }
    std::ifstream in(secret_key_file);
    std::string line;
    if (!in || !std::getline(in, line)) {
        return fail(secret_key_file.string() + ": cannot be read");
    }
    const std::string public_key = public_key_of(line);
    if (public_key.empty()) {
        // Never overwritten: the server knows the public key of what is there, and a new key would make
        // every bundle from this kiosk fail until someone registers it again.
        return fail(secret_key_file.string() + ":1: not a kiosk key (128 hex digits); left as it is");
    }
    return DeviceKeyPair{public_key, line};
}

Result<std::string, std::string> sign_bundle(const Contents& contents, std::string_view secret_key_hex) {
    require_sodium();
    std::array<unsigned char, crypto_sign_SECRETKEYBYTES> sk{};
    if (!from_hex(secret_key_hex, sk.data(), sk.size())) {
        return fail(std::string("the kiosk's secret key is not 128 hex digits"));
    }
    nlohmann::json responses = nlohmann::json::array();
    for (const CompletedResponse& r : contents.responses) {
        responses.push_back(protocol::encode_response(r));
    }
    // One response per line: a person can look at a bundle, and a diff of two shows what differs.
    std::string payload = "{\"device_id\":" + nlohmann::json(contents.device_id).dump() +
                          ",\"created_at\":" + nlohmann::json(contents.created_at).dump() +
                          ",\"responses\":[";
    for (size_t i = 0; i < responses.size(); ++i) {
        payload += (i == 0 ? "\n" : ",\n");
        payload += responses[i].dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    payload += "\n]";
    // Contacts in their own batches, as the contacts route takes them: never next to the answers.
    payload += ",\"contacts\":[";
    for (size_t from = 0; from < contents.contacts.size(); from += protocol::kMaxContactBatchSize) {
        const size_t to = std::min(contents.contacts.size(), from + protocol::kMaxContactBatchSize);
        protocol::ContactBatch batch{contents.device_id,
                                     {contents.contacts.begin() + static_cast<std::ptrdiff_t>(from),
                                      contents.contacts.begin() + static_cast<std::ptrdiff_t>(to)}};
        payload += (from == 0 ? "\n" : ",\n") + protocol::encode_contacts(batch);
    }
    payload += "\n]}\n";
    const std::string message = signed_message(contents.device_id, payload);
    std::array<unsigned char, crypto_sign_BYTES> signature{};
    crypto_sign_detached(signature.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), sk.data());
    sodium_memzero(sk.data(), sk.size());
    return std::string(kMagic) + " 1 " + contents.device_id + " " +
           to_hex(signature.data(), signature.size()) + "\n" + payload;
}

Result<std::string, std::string> bundle_device(std::string_view bytes) {
    auto parts = split(bytes);
    if (!parts) {
        return fail(parts.error());
    }
    return parts->device_id;
}

Result<Contents, std::string> open_bundle(std::string_view bytes, std::string_view public_key_hex) {
    require_sodium();
    auto parts = split(bytes);
    if (!parts) {
        return fail(parts.error());
    }
    std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pk{};
    if (!from_hex(public_key_hex, pk.data(), pk.size())) {
        return fail("the key registered for device '" + parts->device_id + "' is not 64 hex digits");
    }
    std::array<unsigned char, crypto_sign_BYTES> signature{};
    if (!from_hex(parts->signature_hex, signature.data(), signature.size())) {
        return fail(std::string("header: the signature is not 128 hex digits"));
    }
    const std::string message = signed_message(parts->device_id, parts->payload);
    if (crypto_sign_verify_detached(signature.data(), reinterpret_cast<const unsigned char*>(message.data()),
                                    message.size(), pk.data()) != 0) {
        return fail("the signature does not match the key registered for device '" + parts->device_id +
                    "': the bundle was changed after the kiosk wrote it, or another key signed it");
    }
    // Signed by the kiosk: from here on a problem is a kiosk bug, still reported with its JSON path.
    const nlohmann::json root = nlohmann::json::parse(parts->payload, nullptr, false);
    if (root.is_discarded() || !root.is_object()) {
        return fail(std::string("payload: not a JSON object"));
    }
    Contents contents;
    const auto text = [&](const char* name) -> Result<std::string, std::string> {
        if (!root.contains(name) || !root[name].is_string()) {
            return fail("payload." + std::string(name) + ": missing or not a string");
        }
        return root[name].get<std::string>();
    };
    auto device = text("device_id");
    auto created = text("created_at");
    if (!device || !created) {
        return fail(!device ? device.error() : created.error());
    }
    if (*device != parts->device_id) {
        return fail("payload.device_id: '" + *device + "' is not the header's device '" + parts->device_id +
                    "'");
    }
    contents.device_id = *device;
    contents.created_at = *created;
    if (!root.contains("responses") || !root["responses"].is_array()) {
        return fail(std::string("payload.responses: missing or not an array"));
    }
    const nlohmann::json& list = root["responses"];
    for (size_t i = 0; i < list.size(); ++i) {
        auto response =
            protocol::decode_response_json(list[i], "payload.responses[" + std::to_string(i) + "]");
        if (!response) {
            // Refused alone, as in an upload: the rest of the bundle still counts.
            std::string id;
            if (list[i].is_object() && list[i].contains("id") && list[i]["id"].is_string()) {
                id = list[i]["id"].get<std::string>();
            }
            contents.invalid.push_back({std::move(id), response.error()});
            continue;
        }
        contents.responses.push_back(std::move(response).value());
    }
    if (root.contains("contacts")) {
        const nlohmann::json& batches = root["contacts"];
        if (!batches.is_array()) {
            contents.contact_problems.push_back("payload.contacts: not an array");
            return contents;
        }
        for (size_t i = 0; i < batches.size(); ++i) {
            const std::string where = "payload.contacts[" + std::to_string(i) + "]";
            auto batch = protocol::decode_contacts(
                batches[i].dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
            if (!batch) {
                const protocol::Error& e = batch.error();
                contents.contact_problems.push_back(where + (e.where.empty() ? "" : "." + e.where) + ": " +
                                                    e.message);
            } else if (batch->device_id != contents.device_id) {
                contents.contact_problems.push_back(where + ".device_id: '" + batch->device_id +
                                                    "' is not the header's device '" + contents.device_id +
                                                    "'");
            } else {
                contents.contacts.insert(contents.contacts.end(), batch->contacts.begin(),
                                         batch->contacts.end());
            }
        }
    }
    return contents;
}

} // namespace buurtstem::usb_bundle
