// The sync protocol, version 1: kiosk -> server upload of completed responses. sync/PROTOCOL.md has the
// full description with examples.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "buurtstem/consultation/contact.hpp"
#include "buurtstem/consultation/response.hpp"
#include "buurtstem/core/result.hpp"

namespace buurtstem::protocol {

inline constexpr int kVersion = 1;
inline constexpr std::string_view kUploadPath = "/api/v1/responses";
inline constexpr std::string_view kHealthPath = "/api/v1/health";
// Contact opt-ins (issue 10): their own endpoint and queue, never in a response batch.
inline constexpr std::string_view kContactsPath = "/api/v1/contacts";
inline constexpr size_t kMaxContactBatchSize = 200;
// A kiosk sends at most this many responses per request; the server refuses larger batches.
inline constexpr size_t kMaxBatchSize = 200;
inline constexpr size_t kMaxBodyBytes = 8 * 1024 * 1024;
// Issue 10's optional response fields: a volunteer's note, and the event's texts.
inline constexpr size_t kMaxNoteBytes = 256;
inline constexpr size_t kMaxEventFieldBytes = 128;
// The kiosk's number of responses still to send, on each upload and pull (sync/PROTOCOL.md); optional,
// so older kiosks and servers ignore it. `kPendingHeaderLower` is how the server's request map names it.
inline constexpr std::string_view kPendingHeader = "Buurtstem-Pending";
inline constexpr std::string_view kPendingHeaderLower = "buurtstem-pending";
inline constexpr int64_t kMaxPendingReported = 1'000'000'000;

struct Error {
    std::string where; // JSON path of the problem, e.g. "responses[2].answers[0].value"; empty for the whole
    std::string message; // what is wrong there

    std::string to_string() const { return where.empty() ? message : where + ": " + message; }
};

struct Rejection {
    std::string id;
    std::string reason;
};

// A response refused by the decoder: its id (as sent, so the kiosk finds it again) and what is wrong.
struct InvalidResponse {
    std::string id;
    Error error;
};

struct UploadBatch {
    std::string device_id;
    std::vector<CompletedResponse> responses;
    // Responses whose id could be read but that break a rule (a control character in an answer, an id
    // in upper case): refused one by one with the JSON path, so one bad response never blocks the rest.
    // Filled by decode_batch only; encode_batch ignores it.
    std::vector<InvalidResponse> invalid{};
};

// The server's answer: which ids it has stored (now or before), which it will never store, and which it
// cannot take yet (a consultation it has no file for): the kiosk keeps those pending and sends them later.
struct UploadReply {
    std::vector<std::string> accepted;
    std::vector<Rejection> rejected;
    std::vector<Rejection> deferred;
};

// The one spelling of a response id: a UUID in lower case (8-4-4-4-12). Upper and lower case of the
// same id would otherwise be stored as two responses.
bool is_response_id(std::string_view text);
// YYYY-MM-DD with a month 01-12 and a day 01-31.
bool is_day(std::string_view text);

// Why `text` may not be stored in any text field of an upload, or empty when it may: invalid UTF-8,
// NUL and every other C0 control character (newline and tab too: the kiosk keyboard makes none, and a
// line break inside a CSV cell breaks naive readers), DEL, C1 controls, and the bidi embedding,
// override and isolate characters U+202A-U+202E and U+2066-U+2069 (they make text display in another
// order than it is stored, e.g. in the council's spreadsheet).
std::string text_problem(std::string_view text);

std::string encode_batch(const UploadBatch& batch);
// The same bytes, made through a JSON document (nlohmann): the reference encode_batch is tested against.
std::string encode_batch_dom(const UploadBatch& batch);
// One response as it appears in an upload (and in a USB bundle), and back, with the same checks as
// decode_batch; `where` prefixes the JSON paths of errors.
nlohmann::json encode_response(const CompletedResponse& response);
Result<CompletedResponse, Error> decode_response_json(const nlohmann::json& item, const std::string& where);
// Checks shape and types only (every field present, of the right type, ids are UUIDs, times are ISO
// 8601); the server checks answers against the consultation itself.
Result<UploadBatch, Error> decode_batch(std::string_view json);

// Contacts: {"protocol": 1, "device_id": ..., "contacts": [{"contact_id", "consultation_id", "day",
// "name", "phone_or_email"}]}. The reply is an UploadReply whose `accepted` lists contact ids.
struct ContactBatch {
    std::string device_id;
    std::vector<ContactEntry> contacts;
};
std::string encode_contacts(const ContactBatch& batch);
// Refuses the whole batch on any bad contact (they come from the kiosk's own checked input).
Result<ContactBatch, Error> decode_contacts(std::string_view json);

std::string encode_reply(const UploadReply& reply);
Result<UploadReply, Error> decode_reply(std::string_view json);

// {"error": "..."} bodies for 4xx/5xx replies.
std::string encode_error(std::string_view message);

} // namespace buurtstem::protocol
