#include "buurtstem/protocol/protocol.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

#include "buurtstem/core/clock.hpp"
#include "buurtstem/core/slug.hpp"
#include "buurtstem/core/uuid.hpp"

namespace buurtstem::protocol {

using nlohmann::json;

namespace {

// Thrown inside this file only; the decoders turn it into an Error value.
struct Invalid {
    std::string where;
    std::string message;
};

const json& field(const json& object, const char* name, const std::string& where) {
    auto it = object.find(name);
    if (it == object.end()) {
        throw Invalid{where, std::string("missing field '") + name + "'"};
    }
    return *it;
}

std::string text_field(const json& object, const char* name, const std::string& where,
                       size_t max_bytes = 256) {
    const json& value = field(object, name, where);
    const std::string path = where.empty() ? name : where + "." + name;
    if (!value.is_string()) {
        throw Invalid{path, "must be a string"};
    }
    std::string text = value.get<std::string>();
    if (text.size() > max_bytes) {
        throw Invalid{path, "is longer than " + std::to_string(max_bytes) + " bytes"};
    }
    if (std::string problem = text_problem(text); !problem.empty()) {
        throw Invalid{path, problem};
    }
    return text;
}

std::string slug_field(const json& object, const char* name, const std::string& where) {
    std::string text = text_field(object, name, where, 64);
    if (!is_slug(text)) {
        throw Invalid{where.empty() ? name : where + "." + name,
                      "must be 1-64 lower-case letters, digits, '-' or '_'"};
    }
    return text;
}

void require_object(const json& value, const std::string& where) {
    if (!value.is_object()) {
        throw Invalid{where, "must be an object"};
    }
}

void require_time(const std::string& text, const std::string& where) {
    if (!parse_iso8601_utc(text)) {
        throw Invalid{where, "must be a UTC time like 2026-11-24T13:05:09Z, not '" + text + "'"};
    }
}

// The id a response can be refused under, one by one: present, a string, short and printable, so the
// kiosk finds it again in its own file. Empty when the response cannot be told apart from the others.
std::string echoable_id(const json& item) {
    if (!item.is_object()) {
        return {};
    }
    const auto it = item.find("id");
    if (it == item.end() || !it->is_string()) {
        return {};
    }
    std::string id = it->get<std::string>();
    if (id.empty() || id.size() > 64 || !text_problem(id).empty()) {
        return {};
    }
    return id;
}

// Finds the JSON path at which a parse failed (nlohmann's message gives only a byte offset), so invalid
// UTF-8 in an answer is reported as "responses[2].answers[0].value: ...".
class PathTracker : public nlohmann::json_sax<json> {
public:
    bool null() override { return value(); }
    bool boolean(bool) override { return value(); }
    bool number_integer(number_integer_t) override { return value(); }
    bool number_unsigned(number_unsigned_t) override { return value(); }
    bool number_float(number_float_t, const string_t&) override { return value(); }
    bool string(string_t&) override { return value(); }
    bool binary(binary_t&) override { return value(); }
    bool start_object(std::size_t) override {
        open(false);
        return true;
    }
    bool key(string_t& name) override {
        frames_.back().key = name;
        frames_.back().has_key = true;
        return true;
    }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override {
        open(true);
        return true;
    }
    bool end_array() override { return close(); }
    bool parse_error(std::size_t position, const std::string&,
                     const nlohmann::detail::exception& e) override {
        error_position = position;
        error_message = e.what();
        // The element being read when the error came: the next index, or the key just read.
        error_path = path(true);
        return false;
    }

    std::size_t error_position = 0;
    std::string error_message;
    std::string error_path;

private:
    struct Frame {
        bool array = false;
        size_t index = 0; // elements completed so far in an array
        std::string key;
        bool has_key = false;
    };
    void open(bool array) { frames_.push_back({array, 0, {}, false}); }
    bool close() {
        frames_.pop_back();
        return value();
    }
    bool value() {
        if (!frames_.empty()) {
            if (frames_.back().array) {
                ++frames_.back().index;
            } else {
                frames_.back().has_key = false;
            }
        }
        return true;
    }
    std::string path(bool at_current) const {
        std::string out;
        for (const Frame& f : frames_) {
            if (f.array) {
                out += "[" + std::to_string(f.index) + "]";
            } else if (f.has_key || !at_current) {
                out += (out.empty() ? "" : ".") + f.key;
            }
        }
        return out;
    }
    std::vector<Frame> frames_;
};

// The whole body failed to parse: say where, and why in words a person can act on.
Error parse_failure(std::string_view text, const char* what) {
    PathTracker tracker;
    json::sax_parse(text, &tracker);
    std::string message = std::string(what) + " is not valid JSON";
    if (tracker.error_message.find("UTF-8") != std::string::npos) {
        message = "is not valid UTF-8 (byte " + std::to_string(tracker.error_position) + ")";
        return Error{tracker.error_path, message};
    }
    if (!tracker.error_message.empty()) {
        message += " (byte " + std::to_string(tracker.error_position) + ")";
    }
    return Error{"", message};
}

CompletedResponse decode_response(const json& item, const std::string& where) {
    require_object(item, where);
    CompletedResponse r;
    r.id = text_field(item, "id", where);
    if (!is_uuid(r.id)) {
        throw Invalid{where + ".id", "must be a UUID"};
    }
    if (!is_response_id(r.id)) {
        throw Invalid{where + ".id", "must be a UUID in lower case (one spelling per id)"};
    }
    r.consultation_id = slug_field(item, "consultation_id", where);
    const json& version = field(item, "consultation_version", where);
    if (!version.is_number_integer() || version.get<int64_t>() < 1 || version.get<int64_t>() > 1'000'000) {
        throw Invalid{where + ".consultation_version", "must be a whole number of 1 or more"};
    }
    r.consultation_version = version.get<int>();
    r.device_id = slug_field(item, "device_id", where);
    r.language = text_field(item, "language", where, 8);
    r.started_at = text_field(item, "started_at", where);
    require_time(r.started_at, where + ".started_at");
    r.completed_at = text_field(item, "completed_at", where);
    require_time(r.completed_at, where + ".completed_at");
    const json& answers = field(item, "answers", where);
    if (!answers.is_array()) {
        throw Invalid{where + ".answers", "must be an array"};
    }
    for (size_t i = 0; i < answers.size(); ++i) {
        const std::string at = where + ".answers[" + std::to_string(i) + "]";
        require_object(answers[i], at);
        r.answers.push_back(
            {slug_field(answers[i], "question_id", at), text_field(answers[i], "value", at, 64 * 1024)});
    }
    return r;
}

} // namespace

bool is_response_id(std::string_view text) {
    if (!is_uuid(text)) {
        return false;
    }
    for (const char c : text) {
        if (c >= 'A' && c <= 'Z') {
            return false;
        }
    }
    return true;
}

std::string text_problem(std::string_view text) {
    const auto name = [](uint32_t cp) {
        char buffer[16];
        std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(cp));
        return std::string(buffer);
    };
    size_t i = 0;
    while (i < text.size()) {
        const auto b0 = static_cast<unsigned char>(text[i]);
        uint32_t cp = 0;
        size_t length = 1;
        if (b0 < 0x80) {
            cp = b0;
        } else if ((b0 & 0xE0) == 0xC0) {
            cp = b0 & 0x1Fu;
            length = 2;
        } else if ((b0 & 0xF0) == 0xE0) {
            cp = b0 & 0x0Fu;
            length = 3;
        } else if ((b0 & 0xF8) == 0xF0) {
            cp = b0 & 0x07u;
            length = 4;
        } else {
            return "is not valid UTF-8 (byte " + std::to_string(i) + ")";
        }
        if (i + length > text.size()) {
            return "is not valid UTF-8 (cut off at byte " + std::to_string(i) + ")";
        }
        for (size_t k = 1; k < length; ++k) {
            const auto b = static_cast<unsigned char>(text[i + k]);
            if ((b & 0xC0) != 0x80) {
                return "is not valid UTF-8 (byte " + std::to_string(i + k) + ")";
            }
            cp = (cp << 6) | (b & 0x3Fu);
        }
        const bool overlong =
            (length == 2 && cp < 0x80) || (length == 3 && cp < 0x800) || (length == 4 && cp < 0x10000);
        if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return "is not valid UTF-8 (byte " + std::to_string(i) + ")";
        }
        if (cp == 0) {
            return "contains NUL (U+0000)";
        }
        if (cp == '\n') {
            return "contains a line break (U+000A); answers are one line";
        }
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
            return "contains control character " + name(cp);
        }
        if (cp >= 0x202A && cp <= 0x202E) {
            static const char* const names[] = {"left-to-right embedding", "right-to-left embedding",
                                                "pop directional formatting", "left-to-right override",
                                                "right-to-left override"};
            return "contains " + name(cp) + " (" + names[cp - 0x202A] + ")";
        }
        if (cp >= 0x2066 && cp <= 0x2069) {
            static const char* const names[] = {"left-to-right isolate", "right-to-left isolate",
                                                "first strong isolate", "pop directional isolate"};
            return "contains " + name(cp) + " (" + names[cp - 0x2066] + ")";
        }
        i += length;
    }
    return {};
}

namespace {

// Appends `text` as a JSON string, exactly as nlohmann's dump (no ASCII escaping, invalid UTF-8 replaced
// by U+FFFD) would: plain printable ASCII, by far the most of an upload, is copied as it is; anything
// else goes through nlohmann itself, so the two can never disagree on escaping.
void append_string(std::string& out, std::string_view text) {
    bool plain = true;
    for (const char c : text) {
        const auto b = static_cast<unsigned char>(c);
        if (b < 0x20 || b >= 0x7F || c == '"' || c == '\\') {
            plain = false;
            break;
        }
    }
    if (plain) {
        out += '"';
        out.append(text);
        out += '"';
        return;
    }
    out += json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace

// Written straight into one string rather than through a DOM (a std::map per response and per answer):
// the kiosk encodes every batch it sends, on a small machine. The bytes are those nlohmann's dump of
// the same document gives (keys in its order, sorted), which a unit test holds it to.
std::string encode_batch(const UploadBatch& batch) {
    std::string out;
    size_t estimate = 64 + batch.device_id.size();
    for (const CompletedResponse& r : batch.responses) {
        estimate += 256 + r.consultation_id.size() + r.device_id.size();
        for (const Answer& a : r.answers) {
            estimate += 32 + a.question_id.size() + a.value.size();
        }
    }
    out.reserve(estimate);
    out += "{\"device_id\":";
    append_string(out, batch.device_id);
    out += ",\"protocol\":" + std::to_string(kVersion) + ",\"responses\":[";
    for (size_t i = 0; i < batch.responses.size(); ++i) {
        const CompletedResponse& r = batch.responses[i];
        out += i == 0 ? "{\"answers\":[" : ",{\"answers\":[";
        for (size_t k = 0; k < r.answers.size(); ++k) {
            out += k == 0 ? "{\"question_id\":" : ",{\"question_id\":";
            append_string(out, r.answers[k].question_id);
            out += ",\"value\":";
            append_string(out, r.answers[k].value);
            out += '}';
        }
        out += "],\"completed_at\":";
        append_string(out, r.completed_at);
        out += ",\"consultation_id\":";
        append_string(out, r.consultation_id);
        out += ",\"consultation_version\":" + std::to_string(r.consultation_version) + ",\"device_id\":";
        append_string(out, r.device_id);
        out += ",\"id\":";
        append_string(out, r.id);
        out += ",\"language\":";
        append_string(out, r.language);
        out += ",\"started_at\":";
        append_string(out, r.started_at);
        out += '}';
    }
    out += "]}";
    return out;
}

std::string encode_batch_dom(const UploadBatch& batch) {
    json responses = json::array();
    for (const CompletedResponse& r : batch.responses) {
        json answers = json::array();
        for (const Answer& a : r.answers) {
            answers.push_back({{"question_id", a.question_id}, {"value", a.value}});
        }
        responses.push_back({{"id", r.id},
                             {"consultation_id", r.consultation_id},
                             {"consultation_version", r.consultation_version},
                             {"device_id", r.device_id},
                             {"language", r.language},
                             {"started_at", r.started_at},
                             {"completed_at", r.completed_at},
                             {"answers", std::move(answers)}});
    }
    return json{{"protocol", kVersion}, {"device_id", batch.device_id}, {"responses", std::move(responses)}}
        .dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<UploadBatch, Error> decode_batch(std::string_view text) {
    json root = json::parse(text, nullptr, false);
    if (root.is_discarded()) {
        return fail(parse_failure(text, "body"));
    }
    try {
        require_object(root, "");
        const json& version = field(root, "protocol", "");
        if (!version.is_number_integer() || version.get<int64_t>() != kVersion) {
            throw Invalid{"protocol", "unsupported protocol version (this server speaks " +
                                          std::to_string(kVersion) + ")"};
        }
        UploadBatch batch;
        batch.device_id = slug_field(root, "device_id", "");
        const json& responses = field(root, "responses", "");
        if (!responses.is_array()) {
            throw Invalid{"responses", "must be an array"};
        }
        if (responses.size() > kMaxBatchSize) {
            throw Invalid{"responses",
                          "more than " + std::to_string(kMaxBatchSize) + " responses in one batch"};
        }
        for (size_t i = 0; i < responses.size(); ++i) {
            try {
                batch.responses.push_back(
                    decode_response(responses[i], "responses[" + std::to_string(i) + "]"));
            } catch (const Invalid& invalid) {
                // A response the kiosk can find again by its id is refused alone; the rest goes on.
                std::string id = echoable_id(responses[i]);
                if (id.empty()) {
                    throw;
                }
                batch.invalid.push_back({std::move(id), Error{invalid.where, invalid.message}});
            }
        }
        return batch;
    } catch (const Invalid& invalid) {
        return fail(Error{invalid.where, invalid.message});
    }
}

std::string encode_reply(const UploadReply& reply) {
    const auto list = [](const std::vector<Rejection>& items) {
        json out = json::array();
        for (const Rejection& r : items) {
            out.push_back({{"id", r.id}, {"reason", r.reason}});
        }
        return out;
    };
    return json{
        {"accepted", reply.accepted}, {"rejected", list(reply.rejected)}, {"deferred", list(reply.deferred)}}
        .dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<UploadReply, Error> decode_reply(std::string_view text) {
    json root = json::parse(text, nullptr, false);
    if (root.is_discarded()) {
        return fail(parse_failure(text, "reply"));
    }
    try {
        require_object(root, "");
        UploadReply reply;
        const json& accepted = field(root, "accepted", "");
        if (!accepted.is_array()) {
            throw Invalid{"accepted", "must be an array"};
        }
        for (const json& id : accepted) {
            if (!id.is_string()) {
                throw Invalid{"accepted", "must hold strings"};
            }
            reply.accepted.push_back(id.get<std::string>());
        }
        const json& rejected = field(root, "rejected", "");
        if (!rejected.is_array()) {
            throw Invalid{"rejected", "must be an array"};
        }
        for (size_t i = 0; i < rejected.size(); ++i) {
            const std::string at = "rejected[" + std::to_string(i) + "]";
            require_object(rejected[i], at);
            reply.rejected.push_back(
                {text_field(rejected[i], "id", at), text_field(rejected[i], "reason", at, 4096)});
        }
        // Servers before "deferred" existed do not send it.
        if (const auto deferred = root.find("deferred"); deferred != root.end()) {
            if (!deferred->is_array()) {
                throw Invalid{"deferred", "must be an array"};
            }
            for (size_t i = 0; i < deferred->size(); ++i) {
                const std::string at = "deferred[" + std::to_string(i) + "]";
                require_object((*deferred)[i], at);
                reply.deferred.push_back(
                    {text_field((*deferred)[i], "id", at), text_field((*deferred)[i], "reason", at, 4096)});
            }
        }
        return reply;
    } catch (const Invalid& invalid) {
        return fail(Error{invalid.where, invalid.message});
    }
}

std::string encode_error(std::string_view message) {
    return json{{"error", message}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace buurtstem::protocol
