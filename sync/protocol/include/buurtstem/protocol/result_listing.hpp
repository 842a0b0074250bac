// The signed list of every result a server holds ("you said, we did"; sync/PROTOCOL.md, "Results"),
// so a kiosk can tell a result the server withdrew from one it merely failed to fetch.
//
// Each result is signed on its own (result_bundle.hpp); a list of them is not, so a kiosk that dropped
// every result missing from a reply would drop them on any truncated or tampered reply. The listing
// names every result (id and revision) and when it was made, signed with the same RESULT key under a
// domain line of its own:
//   "buurtstem-result-listing-v1\n" <the listing JSON exactly as carried>
// Carried in GET /api/v1/results as {"listing": {"format": 1, "listing": "<JSON>", "signature": "<b64>"}}.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "buurtstem/core/result.hpp"

namespace buurtstem::result_listing {

struct ListedResult {
    std::string consultation_id;
    int64_t revision = 0;
};

struct ResultListing {
    std::string issued_at; // ISO 8601 UTC, when the server made it
    std::vector<ListedResult> results;
};

struct SignedListing {
    std::string listing_json;
    std::string signature; // base64 of the 64-byte detached signature
};

std::string encode_listing(const ResultListing& listing);
// Errors name the JSON path ("listing.results[2].revision: ...").
[[nodiscard]] Result<ResultListing, std::string> decode_listing(std::string_view json);

[[nodiscard]] Result<SignedListing, std::string> sign_listing(const ResultListing& listing,
                                                              std::string_view secret_key_base64);
// Checks the signature with the result public key, then decodes the listing.
[[nodiscard]] Result<ResultListing, std::string> verify_listing(const SignedListing& signed_listing,
                                                                std::string_view public_key_base64);

// The envelope as a JSON object's text, and back.
std::string encode_signed(const SignedListing& signed_listing);
[[nodiscard]] Result<SignedListing, std::string> decode_signed(std::string_view json);

} // namespace buurtstem::result_listing
