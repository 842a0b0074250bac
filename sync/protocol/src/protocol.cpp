#include "buurtstem/protocol/protocol.hpp"

#include <nlohmann/json.hpp>
#include <utf8.h>

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

// A body that must be JSON: `read` turns its root into a T, throwing Invalid at the first field that is
// wrong; every decoder below reports both kinds of failure the same way.
template <typename T, typename Read>
Result<T, Error> decode_json(std::string_view text, const char* what, Read read) {
    json root = json::parse(text, nullptr, false);
    if (root.is_discarded()) {
        return fail(parse_failure(text, what));
    }
    try {
        return read(root);
    } catch (const Invalid& invalid) {
        return fail(Error{invalid.where, invalid.message});
    }
}

// The envelope of an upload: an object with this protocol's version, the device's id and the array
// `list` of at most `max` entries; returns that array.
const json& read_envelope(const json& root, std::string& device_id, const char* list, size_t max,
                          const char* entries) {
    require_object(root, "");
    const json& version = field(root, "protocol", "");
    if (!version.is_number_integer() || version.get<int64_t>() != kVersion) {
        throw Invalid{"protocol",
                      "unsupported protocol version (this server speaks " + std::to_string(kVersion) + ")"};
    }
    device_id = slug_field(root, "device_id", "");
    const json& items = field(root, list, "");
    if (!items.is_array()) {
        throw Invalid{list, "must be an array"};
    }
    if (items.size() > max) {
        throw Invalid{list, "more than " + std::to_string(max) + " " + entries + " in one batch"};
    }
    return items;
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
    // Issue 10's fields are optional: kiosks from before them send none (channel "kiosk", no event).
    if (item.contains("channel")) {
        const std::string name = text_field(item, "channel", where, 16);
        const auto channel = parse_channel(name);
        if (!channel) {
            throw Invalid{where + ".channel", "must be kiosk, facilitated or paper, not '" + name + "'"};
        }
        r.channel = *channel;
    }
    if (item.contains("note")) {
        r.note = text_field(item, "note", where, kMaxNoteBytes);
    }
    if (item.contains("event") && !item["event"].is_null()) {
        const std::string at = where + ".event";
        const json& event = item["event"];
        require_object(event, at);
        ResponseEvent e;
        e.id = text_field(event, "id", at, 64);
        if (!is_response_id(e.id)) {
            throw Invalid{at + ".id", "must be a UUID in lower case"};
        }
        e.name = text_field(event, "name", at, kMaxEventFieldBytes);
        e.wijk = text_field(event, "wijk", at, kMaxEventFieldBytes);
        e.municipality = text_field(event, "municipality", at, kMaxEventFieldBytes);
        if (e.name.empty()) {
            throw Invalid{at + ".name", "is empty"};
        }
        e.date = text_field(event, "date", at, 10);
        if (!is_day(e.date)) {
            throw Invalid{at + ".date", "must be a day like 2026-11-24, not '" + e.date + "'"};
        }
        r.event = std::move(e);
    }
    return r;
}

} // namespace

bool is_day(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return false;
    }
    for (const size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
        if (text[i] < '0' || text[i] > '9') {
            return false;
        }
    }
    const int month = (text[5] - '0') * 10 + (text[6] - '0');
    const int day = (text[8] - '0') * 10 + (text[9] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

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
    // utfcpp finds the first byte that does not start a valid sequence (a stray or missing continuation
    // byte, an overlong form, a UTF-16 surrogate, a code point past U+10FFFF, a sequence cut off); the
    // characters before it are checked first, so the first problem in reading order is the one named.
    const auto valid_end = utf8::find_invalid(text.begin(), text.end());
    for (auto it = text.begin(); it != valid_end;) {
        const uint32_t cp = utf8::unchecked::next(it);
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
    }
    if (valid_end != text.end()) {
        const auto byte = std::to_string(valid_end - text.begin());
        // Only the error path asks utfcpp why: a sequence cut off by the end of the text, or a wrong one.
        try {
            auto probe = valid_end;
            utf8::next(probe, text.end());
        } catch (const utf8::not_enough_room&) {
            return "is not valid UTF-8 (cut off at byte " + byte + ")";
        } catch (const utf8::exception&) {
        }
        return "is not valid UTF-8 (byte " + byte + ")";
    }
    return {};
}

nlohmann::json encode_response(const CompletedResponse& r) {
    json answers = json::array();
    for (const Answer& a : r.answers) {
        answers.push_back({{"question_id", a.question_id}, {"value", a.value}});
    }
    json out{{"id", r.id},
             {"consultation_id", r.consultation_id},
             {"consultation_version", r.consultation_version},
             {"device_id", r.device_id},
             {"language", r.language},
             {"started_at", r.started_at},
             {"completed_at", r.completed_at},
             {"answers", std::move(answers)},
             {"channel", channel_name(r.channel)}};
    if (!r.note.empty()) {
        out["note"] = r.note;
    }
    if (r.event) {
        out["event"] = {{"id", r.event->id},
                        {"name", r.event->name},
                        {"wijk", r.event->wijk},
                        {"municipality", r.event->municipality},
                        {"date", r.event->date}};
    }
    return out;
}

Result<CompletedResponse, Error> decode_response_json(const nlohmann::json& item, const std::string& where) {
    try {
        return decode_response(item, where);
    } catch (const Invalid& invalid) {
        return fail(Error{invalid.where, invalid.message});
    }
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
        out += "],\"channel\":";
        append_string(out, channel_name(r.channel));
        out += ",\"completed_at\":";
        append_string(out, r.completed_at);
        out += ",\"consultation_id\":";
        append_string(out, r.consultation_id);
        out += ",\"consultation_version\":" + std::to_string(r.consultation_version) + ",\"device_id\":";
        append_string(out, r.device_id);
        if (r.event) {
            // Keys in nlohmann's (sorted) order, like every object here.
            out += ",\"event\":{\"date\":";
            append_string(out, r.event->date);
            out += ",\"id\":";
            append_string(out, r.event->id);
            out += ",\"municipality\":";
            append_string(out, r.event->municipality);
            out += ",\"name\":";
            append_string(out, r.event->name);
            out += ",\"wijk\":";
            append_string(out, r.event->wijk);
            out += '}';
        }
        out += ",\"id\":";
        append_string(out, r.id);
        out += ",\"language\":";
        append_string(out, r.language);
        if (!r.note.empty()) {
            out += ",\"note\":";
            append_string(out, r.note);
        }
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
        responses.push_back(encode_response(r));
    }
    return json{{"protocol", kVersion}, {"device_id", batch.device_id}, {"responses", std::move(responses)}}
        .dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<UploadBatch, Error> decode_batch(std::string_view text) {
    return decode_json<UploadBatch>(text, "body", [](const json& root) {
        UploadBatch batch;
        const json& responses = read_envelope(root, batch.device_id, "responses", kMaxBatchSize, "responses");
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
    });
}

std::string encode_contacts(const ContactBatch& batch) {
    json contacts = json::array();
    for (const ContactEntry& c : batch.contacts) {
        contacts.push_back({{"contact_id", c.contact_id},
                            {"consultation_id", c.consultation_id},
                            {"day", c.day},
                            {"name", c.name},
                            {"phone_or_email", c.phone_or_email}});
    }
    return json{{"protocol", kVersion}, {"device_id", batch.device_id}, {"contacts", std::move(contacts)}}
        .dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<ContactBatch, Error> decode_contacts(std::string_view text) {
    return decode_json<ContactBatch>(text, "body", [](const json& root) {
        ContactBatch batch;
        const json& contacts =
            read_envelope(root, batch.device_id, "contacts", kMaxContactBatchSize, "contacts");
        for (size_t i = 0; i < contacts.size(); ++i) {
            const std::string at = "contacts[" + std::to_string(i) + "]";
            require_object(contacts[i], at);
            ContactEntry c;
            c.contact_id = text_field(contacts[i], "contact_id", at, 32);
            if (c.contact_id.size() != 32 ||
                c.contact_id.find_first_not_of("0123456789abcdef") != std::string::npos) {
                throw Invalid{at + ".contact_id", "must be 32 lower-case hex digits"};
            }
            c.consultation_id = text_field(contacts[i], "consultation_id", at, 64);
            if (!c.consultation_id.empty() && !is_slug(c.consultation_id)) {
                throw Invalid{at + ".consultation_id", "must be empty or a consultation id"};
            }
            c.day = text_field(contacts[i], "day", at, 10);
            if (!is_day(c.day)) {
                throw Invalid{at + ".day",
                              "must be a day like 2026-11-24 (no time: contacts keep only the day)"};
            }
            c.name = text_field(contacts[i], "name", at, 200);
            c.phone_or_email = text_field(contacts[i], "phone_or_email", at, 200);
            if (c.name.empty() || c.phone_or_email.empty()) {
                throw Invalid{at, "name and phone_or_email must not be empty"};
            }
            batch.contacts.push_back(std::move(c));
        }
        return batch;
    });
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

namespace {

// The array `name` of a reply: {"id", "reason"} objects.
std::vector<Rejection> read_rejections(const json& items, const std::string& name) {
    if (!items.is_array()) {
        throw Invalid{name, "must be an array"};
    }
    std::vector<Rejection> out;
    for (size_t i = 0; i < items.size(); ++i) {
        const std::string at = name + "[" + std::to_string(i) + "]";
        require_object(items[i], at);
        out.push_back({text_field(items[i], "id", at), text_field(items[i], "reason", at, 4096)});
    }
    return out;
}

} // namespace

Result<UploadReply, Error> decode_reply(std::string_view text) {
    return decode_json<UploadReply>(text, "reply", [](const json& root) {
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
        reply.rejected = read_rejections(field(root, "rejected", ""), "rejected");
        // Servers before "deferred" existed do not send it.
        if (const auto deferred = root.find("deferred"); deferred != root.end()) {
            reply.deferred = read_rejections(*deferred, "deferred");
        }
        return reply;
    });
}

std::string encode_error(std::string_view message) {
    return json{{"error", message}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace buurtstem::protocol
