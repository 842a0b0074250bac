#include "buurtstem/protocol/result_bundle.hpp"

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "buurtstem/consultation/text_rules.hpp"
#include "buurtstem/core/slug.hpp"
#include "buurtstem/protocol/bundle.hpp"

namespace buurtstem {

namespace {

constexpr std::string_view kDomain = "buurtstem-result-v1\n";
constexpr std::string_view kCodeAlphabet = "23456789abcdefghjkmnpqrstuvwxyz";
constexpr size_t kCodeLength = 6;
// A whole result: every language's text and figures fit many times over; anything bigger is not ours.
constexpr size_t kMaxResultJsonBytes = 256 * 1024;

bool is_language_code(std::string_view code) {
    if (code.size() < 2 || code.size() > 3) {
        return false;
    }
    for (char c : code) {
        if (c < 'a' || c > 'z') {
            return false;
        }
    }
    return true;
}

std::string signed_message(std::string_view result_json) {
    std::string message(kDomain);
    message += result_json;
    return message;
}

std::string trim(std::string_view text) {
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
        return {};
    }
    const size_t last = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(first, last - first + 1));
}

} // namespace

const ResultText* ConsultationResult::in(const std::string& language, const std::string& fallback) const {
    for (const std::string* wanted : {&language, &fallback}) {
        for (const ResultText& t : texts) {
            if (t.language == *wanted) {
                return &t;
            }
        }
    }
    return nullptr;
}

std::optional<std::string> check_result_text(const ResultText& t) {
    if (!is_language_code(t.language)) {
        return "language: '" + t.language + "' is not a language code (2 or 3 lower-case letters, like nl)";
    }
    if (auto problem = text_problem(t.text, kResultTextMaxChars)) {
        return "text (" + t.language + "): " + *problem;
    }
    if (t.figures.size() > kResultMaxFigures) {
        return "figures (" + t.language + "): " + std::to_string(t.figures.size()) + " figures; at most " +
               std::to_string(kResultMaxFigures) + " fit beside the text";
    }
    for (size_t i = 0; i < t.figures.size(); ++i) {
        const std::string where = "figures[" + std::to_string(i) + "] (" + t.language + ")";
        const ResultFigure& f = t.figures[i];
        if (f.label.empty() || f.value.empty()) {
            return where + ": needs a label and a value";
        }
        for (const auto& [name, field] :
             {std::pair<const char*, const std::string*>{"label", &f.label}, {"value", &f.value}}) {
            if (auto problem = text_problem(*field, kResultFigureMaxChars, TextFlags_SingleLine)) {
                return where + "." + name + ": " + *problem;
            }
        }
    }
    return std::nullopt;
}

Result<ResultText, std::string> parse_result_text_file(std::string_view content,
                                                       const std::string& language) {
    ResultText out;
    out.language = language;
    if (content.starts_with("\xEF\xBB\xBF")) {
        content.remove_prefix(3); // a BOM from a Windows editor
    }
    std::string text;
    bool in_figures = false;
    size_t line_number = 0;
    size_t at = 0;
    while (at <= content.size()) {
        size_t end = content.find('\n', at);
        if (end == std::string_view::npos) {
            end = content.size();
        }
        std::string line(content.substr(at, end - at));
        at = end + 1;
        ++line_number;
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (!in_figures && trim(line) == "---") {
            in_figures = true;
            continue;
        }
        if (!in_figures) {
            text += line;
            text += '\n';
            continue;
        }
        if (trim(line).empty()) {
            continue;
        }
        const size_t colon = line.find(':');
        if (colon == std::string::npos) {
            return fail("line " + std::to_string(line_number) +
                        ": a figure after '---' is written as 'label: value', not '" + line + "'");
        }
        ResultFigure figure{trim(std::string_view(line).substr(0, colon)),
                            trim(std::string_view(line).substr(colon + 1))};
        if (figure.label.empty() || figure.value.empty()) {
            return fail("line " + std::to_string(line_number) + ": a figure needs a label and a value");
        }
        out.figures.push_back(std::move(figure));
    }
    out.text = trim(text);
    if (auto problem = check_result_text(out)) {
        return fail(*problem);
    }
    return out;
}

namespace result_bundle {

std::string encode_result(const ConsultationResult& result) {
    nlohmann::json texts = nlohmann::json::array();
    for (const ResultText& t : result.texts) {
        nlohmann::json figures = nlohmann::json::array();
        for (const ResultFigure& f : t.figures) {
            figures.push_back({{"label", f.label}, {"value", f.value}});
        }
        texts.push_back(
            {{"language", t.language}, {"text", t.text}, {"figures", figures}, {"updated_at", t.updated_at}});
    }
    return nlohmann::json{{"consultation_id", result.consultation_id},
                          {"revision", result.revision},
                          {"updated_at", result.updated_at},
                          {"texts", texts}}
        .dump();
}

Result<ConsultationResult, std::string> decode_result(std::string_view json) {
    if (json.size() > kMaxResultJsonBytes) {
        return fail(std::string("result: larger than 256 KiB"));
    }
    const nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return fail(std::string("result: not a JSON object"));
    }
    const auto string_field = [](const nlohmann::json& o, const char* name) {
        return o.contains(name) && o[name].is_string();
    };
    if (!string_field(j, "consultation_id") || !is_slug(j["consultation_id"].get<std::string>())) {
        return fail(std::string("result.consultation_id: missing or not a consultation id"));
    }
    if (!j.contains("revision") || !j["revision"].is_number_integer() || j["revision"].get<int64_t>() < 1) {
        return fail(std::string("result.revision: must be a whole number from 1"));
    }
    if (!string_field(j, "updated_at")) {
        return fail(std::string("result.updated_at: missing or not a string"));
    }
    if (!j.contains("texts") || !j["texts"].is_array()) {
        return fail(std::string("result.texts: missing or not an array"));
    }
    ConsultationResult result{j["consultation_id"].get<std::string>(),
                              j["revision"].get<int64_t>(),
                              j["updated_at"].get<std::string>(),
                              {}};
    for (size_t i = 0; i < j["texts"].size(); ++i) {
        const nlohmann::json& t = j["texts"][i];
        const std::string where = "result.texts[" + std::to_string(i) + "]";
        if (!t.is_object() || !string_field(t, "language") || !string_field(t, "text") ||
            !t.contains("figures") || !t["figures"].is_array()) {
            return fail(where + ": needs language, text and figures");
        }
        ResultText text{t["language"].get<std::string>(),
                        t["text"].get<std::string>(),
                        {},
                        string_field(t, "updated_at") ? t["updated_at"].get<std::string>() : ""};
        for (size_t k = 0; k < t["figures"].size(); ++k) {
            const nlohmann::json& f = t["figures"][k];
            if (!f.is_object() || !string_field(f, "label") || !string_field(f, "value")) {
                return fail(where + ".figures[" + std::to_string(k) + "]: needs a label and a value");
            }
            text.figures.push_back({f["label"].get<std::string>(), f["value"].get<std::string>()});
        }
        if (auto problem = check_result_text(text)) {
            return fail(where + ": " + *problem);
        }
        if (result.in(text.language, text.language) != nullptr) {
            return fail(where + ".language: '" + text.language + "' appears twice");
        }
        result.texts.push_back(std::move(text));
    }
    return result;
}

Result<SignedResult, std::string> sign_result(const ConsultationResult& result,
                                              std::string_view secret_key_base64) {
    bundle::init_sodium();
    auto sk = bundle::from_base64(secret_key_base64, crypto_sign_SECRETKEYBYTES);
    if (!sk) {
        return fail(std::string("the result key is not base64 of a 64-byte Ed25519 secret key"));
    }
    SignedResult out{encode_result(result), {}};
    const std::string message = signed_message(out.result_json);
    unsigned char signature[crypto_sign_BYTES];
    crypto_sign_detached(signature, nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), sk->data());
    sodium_memzero(sk->data(), sk->size());
    out.signature = bundle::to_base64(signature, sizeof signature);
    return out;
}

Result<ConsultationResult, std::string> verify_result(const SignedResult& signed_result,
                                                      std::string_view public_key_base64) {
    bundle::init_sodium();
    auto pk = bundle::from_base64(public_key_base64, crypto_sign_PUBLICKEYBYTES);
    if (!pk) {
        return fail(std::string("result_public_key is not base64 of a 32-byte Ed25519 public key"));
    }
    auto signature = bundle::from_base64(signed_result.signature, crypto_sign_BYTES);
    if (!signature) {
        return fail(std::string("result: signature is not base64 of 64 bytes"));
    }
    const std::string message = signed_message(signed_result.result_json);
    if (crypto_sign_verify_detached(signature->data(), reinterpret_cast<const unsigned char*>(message.data()),
                                    message.size(), pk->data()) != 0) {
        return fail(std::string("result: bad signature (not signed by the result key in this kiosk's "
                                "configuration, or changed after signing)"));
    }
    // Signed, so the server wrote it; still hold it to the same rules, so a kiosk never shows what its
    // start screen cannot draw.
    return decode_result(signed_result.result_json);
}

std::string encode_signed(const SignedResult& signed_result) {
    return nlohmann::json{
        {"format", 1}, {"result", signed_result.result_json}, {"signature", signed_result.signature}}
        .dump();
}

Result<SignedResult, std::string> decode_signed(std::string_view json) {
    const nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return fail(std::string("signed result: not a JSON object"));
    }
    if (!j.contains("format") || !j["format"].is_number_integer() || j["format"].get<int64_t>() != 1) {
        return fail(std::string("signed result.format: must be 1"));
    }
    for (const char* name : {"result", "signature"}) {
        if (!j.contains(name) || !j[name].is_string()) {
            return fail(std::string("signed result.") + name + ": missing or not a string");
        }
    }
    return SignedResult{j["result"].get<std::string>(), j["signature"].get<std::string>()};
}

} // namespace result_bundle

std::string public_result_code(std::string_view consultation_id) {
    bundle::init_sodium();
    unsigned char hash[16];
    const std::string salted = "buurtstem-public-result-v1\n" + std::string(consultation_id);
    crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(salted.data()),
                       salted.size(), nullptr, 0);
    std::string code;
    for (size_t i = 0; i < kCodeLength; ++i) {
        code += kCodeAlphabet[hash[i] % kCodeAlphabet.size()];
    }
    return code;
}

std::string public_result_address(std::string_view public_base_url, std::string_view consultation_id) {
    std::string base(public_base_url);
    while (!base.empty() && base.back() == '/') {
        base.pop_back();
    }
    return base + "/r/" + public_result_code(consultation_id);
}

} // namespace buurtstem
