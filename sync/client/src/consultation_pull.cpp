#include "buurtstem/sync/consultation_pull.hpp"

#include <fstream>
#include <nlohmann/json.hpp>

#include "buurtstem/core/atomic_file.hpp"
#include "buurtstem/core/slug.hpp"
#include "buurtstem/protocol/bundle.hpp"
#include "buurtstem/protocol/protocol.hpp"
#include "https_call.hpp"

namespace buurtstem {

std::vector<std::string> pending_header(const PullSettings& settings) {
    if (!settings.pending_responses) {
        return {};
    }
    return {std::string(protocol::kPendingHeader) + ": " + std::to_string(*settings.pending_responses)};
}

namespace {

constexpr const char* kListPath = "/api/v1/consultations";

std::optional<std::string> read_whole(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    return std::string(std::istreambuf_iterator<char>(in), {});
}

detail::HttpsCall get(const PullSettings& s, const std::string& path) {
    detail::HttpsCall call;
    call.url = s.server_url + path;
    call.ca_file = s.ca_file;
    call.bearer_token = s.token;
    call.connect_timeout_seconds = s.connect_timeout_seconds;
    call.timeout_seconds = s.timeout_seconds;
    call.should_cancel = s.should_cancel;
    call.pinned_public_key = s.pinned_public_key;
    call.extra_headers = pending_header(s);
    return call;
}

Result<std::string, SyncError> fetch(const PullSettings& s, const std::string& path) {
    auto answer = detail::https_call(get(s, path));
    if (!answer) {
        return fail(answer.error());
    }
    if (answer->status == 401 || answer->status == 403) {
        return fail(detail::refused(*answer, "consultation download"));
    }
    if (answer->status != 200) {
        return fail(SyncError{answer->status >= 500 ? SyncError::Kind::Server : SyncError::Kind::Protocol,
                              "GET " + path + " answered HTTP " + std::to_string(answer->status) + ": " +
                                  detail::error_text(answer->body)});
    }
    return std::move(answer->body);
}

struct Listed {
    std::string id;
    int version = 0;
    std::string sha256;
};

// Checks one fetched bundle against what is kept; returns why it is refused, or nullopt to take it.
std::optional<std::string> judge(const PullSettings& s, const Listed& listed, const std::string& bytes,
                                 bundle::SignedBundle& out) {
    auto decoded = bundle::decode_bundle(bytes);
    if (!decoded) {
        return "consultation '" + listed.id + "': " + decoded.error();
    }
    if (auto verified = bundle::verify_bundle(*decoded, s.council_public_key); !verified) {
        return verified.error();
    }
    if (decoded->id != listed.id) {
        return "consultation '" + listed.id + "': the server sent a bundle for '" + decoded->id + "'";
    }
    if (const auto kept = read_whole(s.folder / (listed.id + ".bundle.json"))) {
        if (auto old = bundle::decode_bundle(*kept)) {
            if (decoded->version < old->version) {
                return "consultation '" + listed.id + "': version " + std::to_string(decoded->version) +
                       " is older than version " + std::to_string(old->version) + " kept here";
            }
            // Responses name the version they answered; one version must always mean one set of questions.
            if (decoded->version == old->version && decoded->toml != old->toml) {
                return "consultation '" + listed.id + "': version " + std::to_string(decoded->version) +
                       " came with other questions than the copy kept here; a change needs a new version";
            }
        }
    }
    out = std::move(decoded).value();
    return std::nullopt;
}

} // namespace

Result<PullReport, SyncError> pull_consultations(const PullSettings& s) {
    if (s.council_public_key.empty()) {
        return fail(
            SyncError{SyncError::Kind::Protocol,
                      "no council_public_key in the kiosk configuration; consultations are not pulled"});
    }
    auto list_body = fetch(s, kListPath);
    if (!list_body) {
        return fail(list_body.error());
    }
    const nlohmann::json list = nlohmann::json::parse(*list_body, nullptr, false);
    if (list.is_discarded() || !list.is_object() || !list.contains("consultations") ||
        !list["consultations"].is_array()) {
        return fail(SyncError{SyncError::Kind::Protocol, "unreadable consultation list from the server"});
    }
    std::error_code ec;
    std::filesystem::create_directories(s.folder, ec);
    if (ec) {
        return fail(SyncError{SyncError::Kind::Store,
                              "cannot make folder " + s.folder.string() + ": " + ec.message()});
    }
    PullReport report;
    size_t index = 0;
    for (const nlohmann::json& item : list["consultations"]) {
        const std::string where = "consultations[" + std::to_string(index++) + "]";
        if (!item.is_object() || !item.contains("id") || !item["id"].is_string() ||
            !item.contains("sha256") || !item["sha256"].is_string() || !item.contains("version") ||
            !item["version"].is_number_integer()) {
            report.refused.push_back(where + ": needs id, version and sha256");
            continue;
        }
        Listed listed{item["id"].get<std::string>(), item["version"].get<int>(),
                      item["sha256"].get<std::string>()};
        // The id becomes a file name here.
        if (!is_slug(listed.id)) {
            report.refused.push_back(where + ".id: not a consultation id");
            continue;
        }
        const auto kept = read_whole(s.folder / (listed.id + ".bundle.json"));
        if (kept && bundle::sha256_hex(*kept) == listed.sha256) {
            ++report.unchanged;
            continue;
        }
        auto bytes = fetch(s, std::string(kListPath) + "/" + listed.id);
        if (!bytes) {
            return fail(bytes.error());
        }
        bundle::SignedBundle accepted;
        if (auto why = judge(s, listed, *bytes, accepted)) {
            report.refused.push_back(*why);
            continue;
        }
        // The TOML first, the bundle last: after a crash in between, the old bundle's hash differs from
        // the list, so the next pass fetches and writes both again.
        for (const auto& [name, content] :
             {std::pair<std::string, const std::string*>{listed.id + ".toml", &accepted.toml},
              {listed.id + ".bundle.json", &*bytes}}) {
            if (auto written = write_file_atomically(s.folder / name, *content, 0644); !written) {
                return fail(SyncError{SyncError::Kind::Store, written.error()});
            }
        }
        report.updated.push_back(listed.id + " version " + std::to_string(accepted.version));
    }
    return report;
}

std::optional<std::filesystem::path> pulled_consultation_file(const std::filesystem::path& folder,
                                                              const std::string& id) {
    const std::filesystem::path file = folder / (id + ".toml");
    std::error_code ec;
    if (!is_slug(id) || !std::filesystem::is_regular_file(file, ec)) {
        return std::nullopt;
    }
    return file;
}

} // namespace buurtstem
