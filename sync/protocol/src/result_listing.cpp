#include "buurtstem/protocol/result_listing.hpp"

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "buurtstem/core/slug.hpp"
#include "buurtstem/protocol/bundle.hpp"

namespace buurtstem::result_listing {

namespace {

// Not the result's domain line: a listing's signature never passes for a result's, nor the other way.
constexpr std::string_view kDomain = "buurtstem-result-listing-v1\n";
constexpr size_t kMaxListed = 100'000;

std::string signed_message(std::string_view listing_json) {
    std::string message(kDomain);
    message += listing_json;
    return message;
}

} // namespace

std::string encode_listing(const ResultListing& listing) {
    nlohmann::json results = nlohmann::json::array();
    for (const ListedResult& r : listing.results) {
        results.push_back({{"consultation_id", r.consultation_id}, {"revision", r.revision}});
    }
    return nlohmann::json{{"issued_at", listing.issued_at}, {"results", results}}.dump();
}

Result<ResultListing, std::string> decode_listing(std::string_view json) {
    const nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return fail(std::string("listing: not a JSON object"));
    }
    if (!j.contains("issued_at") || !j["issued_at"].is_string()) {
        return fail(std::string("listing.issued_at: missing or not a string"));
    }
    if (!j.contains("results") || !j["results"].is_array()) {
        return fail(std::string("listing.results: missing or not an array"));
    }
    if (j["results"].size() > kMaxListed) {
        return fail("listing.results: more than " + std::to_string(kMaxListed) + " results");
    }
    ResultListing out;
    out.issued_at = j["issued_at"].get<std::string>();
    for (size_t i = 0; i < j["results"].size(); ++i) {
        const nlohmann::json& item = j["results"][i];
        const std::string where = "listing.results[" + std::to_string(i) + "]";
        if (!item.is_object() || !item.contains("consultation_id") || !item["consultation_id"].is_string() ||
            !is_slug(item["consultation_id"].get<std::string>())) {
            return fail(where + ".consultation_id: missing or not a slug");
        }
        if (!item.contains("revision") || !item["revision"].is_number_integer()) {
            return fail(where + ".revision: missing or not an integer");
        }
        out.results.push_back({item["consultation_id"].get<std::string>(), item["revision"].get<int64_t>()});
    }
    return out;
}

Result<SignedListing, std::string> sign_listing(const ResultListing& listing,
                                                std::string_view secret_key_base64) {
    bundle::init_sodium();
    auto sk = bundle::from_base64(secret_key_base64, crypto_sign_SECRETKEYBYTES);
    if (!sk) {
        return fail(std::string("the result key is not base64 of a 64-byte Ed25519 secret key"));
    }
    SignedListing out{encode_listing(listing), {}};
    const std::string message = signed_message(out.listing_json);
    unsigned char signature[crypto_sign_BYTES];
    crypto_sign_detached(signature, nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), sk->data());
    sodium_memzero(sk->data(), sk->size());
    out.signature = bundle::to_base64(signature, sizeof signature);
    return out;
}

Result<ResultListing, std::string> verify_listing(const SignedListing& signed_listing,
                                                  std::string_view public_key_base64) {
    bundle::init_sodium();
    auto pk = bundle::from_base64(public_key_base64, crypto_sign_PUBLICKEYBYTES);
    if (!pk) {
        return fail(std::string("result_public_key is not base64 of a 32-byte Ed25519 public key"));
    }
    auto signature = bundle::from_base64(signed_listing.signature, crypto_sign_BYTES);
    if (!signature) {
        return fail(std::string("listing: signature is not base64 of 64 bytes"));
    }
    const std::string message = signed_message(signed_listing.listing_json);
    if (crypto_sign_verify_detached(signature->data(), reinterpret_cast<const unsigned char*>(message.data()),
                                    message.size(), pk->data()) != 0) {
        return fail(std::string("listing: the signature does not match the result key"));
    }
    return decode_listing(signed_listing.listing_json);
}

std::string encode_signed(const SignedListing& signed_listing) {
    return nlohmann::json{
        {"format", 1}, {"listing", signed_listing.listing_json}, {"signature", signed_listing.signature}}
        .dump();
}

Result<SignedListing, std::string> decode_signed(std::string_view json) {
    const nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return fail(std::string("signed listing: not a JSON object"));
    }
    if (!j.contains("format") || !j["format"].is_number_integer() || j["format"].get<int64_t>() != 1) {
        return fail(std::string("signed listing.format: must be 1"));
    }
    for (const char* name : {"listing", "signature"}) {
        if (!j.contains(name) || !j[name].is_string()) {
            return fail(std::string("signed listing.") + name + ": missing or not a string");
        }
    }
    return SignedListing{j["listing"].get<std::string>(), j["signature"].get<std::string>()};
}

} // namespace buurtstem::result_listing
