// "You said, we did": the council's short result text per consultation, how it is checked, signed and
// carried to the kiosks (sync/PROTOCOL.md, "Results").
//
// Trust: a result is signed with the server's RESULT key (Ed25519, libsodium), a key of its own that
// kiosks trust for result texts only (`[sync] result_public_key`). So an analyst's text from the web
// form reaches the kiosks without an offline signing step, and a server that is broken into can at
// worst change the short text under the start screen's heading; it still cannot put questions on a
// kiosk (those need the council's offline key, bundle.hpp). What is signed (detached signature):
//   "buurtstem-result-v1\n" <the result JSON exactly as carried in the bundle>
// The domain line keeps a result signature from passing as a consultation signature and the other way
// round, even if a council used one key for both.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "buurtstem/core/result.hpp"

namespace buurtstem {

struct ResultFigure {
    std::string label; // "Reacties"
    std::string value; // "1 234" (text: the council writes it as it should read)
};

struct ResultText {
    std::string language; // "nl", "en", ...
    std::string text;     // a few sentences, plain text; paragraphs separated by a line break
    std::vector<ResultFigure> figures;
    std::string updated_at; // set by the store (ISO 8601 UTC)
};

struct ConsultationResult {
    std::string consultation_id;
    // Goes up by one at every change of any language, so a kiosk can refuse an older copy replayed to it.
    int64_t revision = 0;
    std::string updated_at;
    std::vector<ResultText> texts; // sorted by language

    // The text in `language`, else in `fallback`, else nullptr.
    const ResultText* in(const std::string& language, const std::string& fallback = "nl") const;
};

// Limits on a result text, the same on the server (set-result, the web form) and on the kiosk (a
// signed result that breaks them is refused): a short text that fits under the start screen's welcome.
inline constexpr size_t kResultTextMaxChars = 800; // characters (code points), per language
inline constexpr size_t kResultMaxFigures = 6;
inline constexpr size_t kResultFigureMaxChars = 60; // per label and per value

// nullopt when `text` may be stored and shown; otherwise the reason (which field, what is wrong). Rules:
// a language code of 2-3 lower-case letters; valid UTF-8; no control characters except line breaks in
// the text; no bidi embeddings/overrides; within the limits above; a figure has a label and a value.
std::optional<std::string> check_result_text(const ResultText& text);

// The file `buurtstem-server set-result --text-file F` reads: the text, then optionally a line holding
// only "---" and after it one figure per line as "label: value". Errors name the line ("line 7: ...").
[[nodiscard]] Result<ResultText, std::string> parse_result_text_file(std::string_view content,
                                                                     const std::string& language);

namespace result_bundle {

// A signed result as carried in GET /api/v1/results:
//   {"format": 1, "result": "<result JSON>", "signature": "<base64>"}
// "result" is a string (not an object) so the signed bytes are exactly the bytes carried.
struct SignedResult {
    std::string result_json;
    std::string signature; // base64 of the 64-byte detached signature
};

std::string encode_result(const ConsultationResult& result);
// Errors name the JSON path ("result.texts[1].text: ...") and every rule of check_result_text.
[[nodiscard]] Result<ConsultationResult, std::string> decode_result(std::string_view json);

[[nodiscard]] Result<SignedResult, std::string> sign_result(const ConsultationResult& result,
                                                            std::string_view secret_key_base64);
// Checks the signature with the result public key, then decodes and checks the result.
[[nodiscard]] Result<ConsultationResult, std::string> verify_result(const SignedResult& signed_result,
                                                                    std::string_view public_key_base64);

std::string encode_signed(const SignedResult& signed_result);
[[nodiscard]] Result<SignedResult, std::string> decode_signed(std::string_view json);

} // namespace result_bundle

// The short code of a consultation's public results page: `https://<server>/r/<code>`. Six characters
// from "23456789abcdefghjkmnpqrstuvwxyz" (no 0/o, 1/l/i), derived from the id with BLAKE2b, so the
// kiosk and the server agree on it without asking each other, and it is short enough to type.
std::string public_result_code(std::string_view consultation_id);
// "https://buurtstem.example.nl" + "/r/" + code (a trailing '/' of the base is dropped).
std::string public_result_address(std::string_view public_base_url, std::string_view consultation_id);

} // namespace buurtstem
