#include "buurtstem/sync/result_pull.hpp"

#include <fstream>
#include <nlohmann/json.hpp>

#include "buurtstem/core/atomic_file.hpp"
#include "buurtstem/core/slug.hpp"
#include "https_call.hpp"

namespace buurtstem {

namespace {

constexpr const char* kResultsPath = "/api/v1/results";

std::optional<std::string> read_whole(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::filesystem::path result_file(const std::filesystem::path& folder, const std::string& id) {
    return folder / (id + ".result.json");
}

} // namespace

Result<ResultPullReport, SyncError> pull_results(const PullSettings& s,
                                                 const std::string& result_public_key) {
    if (result_public_key.empty()) {
        return fail(SyncError{SyncError::Kind::Protocol,
                              "no result_public_key in the kiosk configuration; results are not pulled"});
    }
    detail::HttpsCall call;
    call.url = s.server_url + kResultsPath;
    call.ca_file = s.ca_file;
    call.bearer_token = s.token;
    call.connect_timeout_seconds = s.connect_timeout_seconds;
    call.timeout_seconds = s.timeout_seconds;
    call.should_cancel = s.should_cancel;
    call.pinned_public_key = s.pinned_public_key;
    auto answer = detail::https_call(call);
    if (!answer) {
        return fail(answer.error());
    }
    ResultPullReport report;
    if (answer->status == 404) {
        return report; // a server that keeps no results (older, or no --result-key): nothing to show
    }
    if (answer->status == 401 || answer->status == 403) {
        return fail(detail::refused(*answer, "result download"));
    }
    if (answer->status != 200) {
        return fail(SyncError{answer->status >= 500 ? SyncError::Kind::Server : SyncError::Kind::Protocol,
                              std::string("GET ") + kResultsPath + " answered HTTP " +
                                  std::to_string(answer->status) + ": " + detail::error_text(answer->body)});
    }
    const nlohmann::json list = nlohmann::json::parse(answer->body, nullptr, false);
    if (list.is_discarded() || !list.is_object() || !list.contains("results") ||
        !list["results"].is_array()) {
        return fail(SyncError{SyncError::Kind::Protocol, "unreadable result list from the server"});
    }
    std::error_code ec;
    std::filesystem::create_directories(s.folder, ec);
    if (ec) {
        return fail(SyncError{SyncError::Kind::Store,
                              "cannot make folder " + s.folder.string() + ": " + ec.message()});
    }
    for (size_t i = 0; i < list["results"].size(); ++i) {
        const std::string where = "results[" + std::to_string(i) + "]";
        const std::string item = list["results"][i].dump();
        auto signed_result = result_bundle::decode_signed(item);
        if (!signed_result) {
            report.refused.push_back(where + ": " + signed_result.error());
            continue;
        }
        auto result = result_bundle::verify_result(*signed_result, result_public_key);
        if (!result) {
            report.refused.push_back(where + ": " + result.error());
            continue;
        }
        const std::string& id = result->consultation_id; // a slug (decode_result checks): a safe file name
        const std::string bytes = result_bundle::encode_signed(*signed_result);
        if (const auto kept_bytes = read_whole(result_file(s.folder, id))) {
            if (*kept_bytes == bytes) {
                ++report.unchanged;
                continue;
            }
            auto kept_signed = result_bundle::decode_signed(*kept_bytes);
            auto kept = kept_signed
                            ? result_bundle::verify_result(*kept_signed, result_public_key)
                            : Result<ConsultationResult, std::string>(fail(std::string("unreadable")));
            if (kept && result->revision < kept->revision) {
                report.refused.push_back("result of '" + id + "': revision " +
                                         std::to_string(result->revision) + " is older than revision " +
                                         std::to_string(kept->revision) + " kept here");
                continue;
            }
            if (kept && result->revision == kept->revision) {
                report.refused.push_back("result of '" + id + "': revision " +
                                         std::to_string(result->revision) +
                                         " came with other content than the copy kept here");
                continue;
            }
        }
        if (auto written = write_file_atomically(result_file(s.folder, id), bytes, 0644); !written) {
            return fail(SyncError{SyncError::Kind::Store, written.error()});
        }
        report.updated.push_back(id + " revision " + std::to_string(result->revision));
    }
    return report;
}

std::optional<ConsultationResult> load_pulled_result(const std::filesystem::path& folder,
                                                     const std::string& consultation_id,
                                                     const std::string& result_public_key, std::string* why) {
    if (!is_slug(consultation_id) || result_public_key.empty()) {
        return std::nullopt;
    }
    const auto bytes = read_whole(result_file(folder, consultation_id));
    if (!bytes) {
        return std::nullopt;
    }
    auto signed_result = result_bundle::decode_signed(*bytes);
    auto result = signed_result ? result_bundle::verify_result(*signed_result, result_public_key)
                                : Result<ConsultationResult, std::string>(fail(signed_result.error()));
    if (!result || result->consultation_id != consultation_id) {
        if (why != nullptr) {
            *why = result_file(folder, consultation_id).string() + ": " +
                   (result ? "holds the result of '" + result->consultation_id + "'" : result.error());
        }
        return std::nullopt;
    }
    return std::move(result).value();
}

} // namespace buurtstem
