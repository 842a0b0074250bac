// The sync protocol, version 1: kiosk -> server upload of completed responses. sync/PROTOCOL.md has the
// full description with examples.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "buurtstem/consultation/response.hpp"
#include "buurtstem/core/result.hpp"

namespace buurtstem::protocol {

inline constexpr int kVersion = 1;
inline constexpr std::string_view kUploadPath = "/api/v1/responses";
inline constexpr std::string_view kHealthPath = "/api/v1/health";
// A kiosk sends at most this many responses per request; the server refuses larger batches.
inline constexpr size_t kMaxBatchSize = 200;
inline constexpr size_t kMaxBodyBytes = 8 * 1024 * 1024;

struct Error {
    std::string where; // JSON path of the problem, e.g. "responses[2].answers[0].value"; empty for the whole
    std::string message; // what is wrong there

    std::string to_string() const { return where.empty() ? message : where + ": " + message; }
};

struct UploadBatch {
    std::string device_id;
    std::vector<CompletedResponse> responses;
};

struct Rejection {
    std::string id;
    std::string reason;
};

// The server's answer: which ids it has stored (now or before), and which it will never store.
struct UploadReply {
    std::vector<std::string> accepted;
    std::vector<Rejection> rejected;
};

std::string encode_batch(const UploadBatch& batch);
// Checks shape and types only (every field present, of the right type, ids are UUIDs, times are ISO
// 8601); the server checks answers against the consultation itself.
Result<UploadBatch, Error> decode_batch(std::string_view json);

std::string encode_reply(const UploadReply& reply);
Result<UploadReply, Error> decode_reply(std::string_view json);

// {"error": "..."} bodies for 4xx/5xx replies.
std::string encode_error(std::string_view message);

} // namespace buurtstem::protocol
