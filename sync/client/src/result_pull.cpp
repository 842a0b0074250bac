#include "buurtstem/sync/result_pull.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "buurtstem/core/atomic_file.hpp"
#include "buurtstem/core/slug.hpp"
#include "buurtstem/protocol/result_listing.hpp"
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

// Removes the kept results that a complete, verified listing no longer names (result_pull.hpp). Never
// fails the pull: a listing that does not qualify only means nothing is removed, and says why.
void remove_unlisted(const PullSettings& s, const std::string& result_public_key,
                     const nlohmann::json& carried, const std::set<std::pair<std::string, int64_t>>& verified,
                     bool any_refused, ResultPullReport& report) {
    if (any_refused) {
        return; // a result of this reply was refused: the reply is not the whole truth, remove nothing
    }
    auto signed_listing =
        carried.is_object()
            ? result_listing::decode_signed(carried.dump())
            : Result<result_listing::SignedListing, std::string>(fail(std::string("not an object")));
    auto listing = signed_listing
                       ? result_listing::verify_listing(*signed_listing, result_public_key)
                       : Result<result_listing::ResultListing, std::string>(fail(signed_listing.error()));
    if (!listing) {
        report.refused.push_back("listing: " + listing.error() + "; no result removed");
        return;
    }
    std::set<std::string> listed;
    for (const result_listing::ListedResult& r : listing->results) {
        if (!verified.contains({r.consultation_id, r.revision})) {
            report.refused.push_back("listing: result of '" + r.consultation_id + "' revision " +
                                     std::to_string(r.revision) +
                                     " is listed but did not arrive; no result removed");
            return;
        }
        listed.insert(r.consultation_id);
    }
    std::error_code ec;
    std::vector<std::filesystem::path> files; // listed first, removed after: no removal under the iterator
    for (const auto& entry : std::filesystem::directory_iterator(s.folder, ec)) {
        files.push_back(entry.path());
    }
    for (const std::filesystem::path& file : files) {
        const std::string name = file.filename().string();
        constexpr std::string_view kSuffix = ".result.json";
        if (name.size() <= kSuffix.size() || !name.ends_with(kSuffix)) {
            continue;
        }
        const std::string id = name.substr(0, name.size() - kSuffix.size());
        if (!is_slug(id) || listed.contains(id)) {
            continue;
        }
        const auto kept = load_pulled_result(s.folder, id, result_public_key);
        // Only a result older than the listing: a listing replayed from before the result was made
        // must not remove it.
        if (!kept || kept->updated_at > listing->issued_at) {
            continue;
        }
        std::error_code removed;
        if (std::filesystem::remove(file, removed)) {
            report.removed.push_back(id);
        }
    }
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
    call.extra_headers = pending_header(s);
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
    // (id, revision) of every result that arrived and verified, whether stored now or kept already.
    std::set<std::pair<std::string, int64_t>> verified;
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
                verified.insert({id, result->revision});
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
        verified.insert({id, result->revision});
        report.updated.push_back(id + " revision " + std::to_string(result->revision));
    }
    const bool any_refused = !report.refused.empty();
    if (list.contains("listing")) {
        remove_unlisted(s, result_public_key, list["listing"], verified, any_refused, report);
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
