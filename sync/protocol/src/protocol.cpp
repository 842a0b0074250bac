#include "buurtstem/protocol/protocol.hpp"

#include <nlohmann/json.hpp>

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

CompletedResponse decode_response(const json& item, const std::string& where) {
    require_object(item, where);
    CompletedResponse r;
    r.id = text_field(item, "id", where);
    if (!is_uuid(r.id)) {
        throw Invalid{where + ".id", "must be a UUID"};
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

std::string encode_batch(const UploadBatch& batch) {
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
        return fail(Error{"", "body is not valid JSON"});
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
            batch.responses.push_back(decode_response(responses[i], "responses[" + std::to_string(i) + "]"));
        }
        return batch;
    } catch (const Invalid& invalid) {
        return fail(Error{invalid.where, invalid.message});
    }
}

std::string encode_reply(const UploadReply& reply) {
    json rejected = json::array();
    for (const Rejection& r : reply.rejected) {
        rejected.push_back({{"id", r.id}, {"reason", r.reason}});
    }
    return json{{"accepted", reply.accepted}, {"rejected", std::move(rejected)}}.dump(
        -1, ' ', false, json::error_handler_t::replace);
}

Result<UploadReply, Error> decode_reply(std::string_view text) {
    json root = json::parse(text, nullptr, false);
    if (root.is_discarded()) {
        return fail(Error{"", "reply is not valid JSON"});
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
        return reply;
    } catch (const Invalid& invalid) {
        return fail(Error{invalid.where, invalid.message});
    }
}

std::string encode_error(std::string_view message) {
    return json{{"error", message}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace buurtstem::protocol
