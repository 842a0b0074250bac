#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "buurtstem/core/slug.hpp"
#include "buurtstem/protocol/bundle.hpp"
#include "buurtstem/protocol/protocol.hpp"
#include "buurtstem/server/consultation_routes.hpp"

namespace buurtstem {

namespace {

constexpr size_t kMaxBundleBytes = 1024 * 1024;

HttpReply error_reply(int status, const std::string& message) {
    return HttpReply{status, "application/json", protocol::encode_error(message), {}};
}

std::optional<std::string> read_small_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::string data;
    data.resize(kMaxBundleBytes + 1);
    in.read(data.data(), static_cast<std::streamsize>(data.size()));
    data.resize(static_cast<size_t>(in.gcount()));
    if (data.size() > kMaxBundleBytes) {
        return std::nullopt;
    }
    return data;
}

HttpReply list(const std::filesystem::path& folder) {
    nlohmann::json items = nlohmann::json::array();
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.size() > kBundleSuffix.size() && name.ends_with(kBundleSuffix)) {
            files.push_back(entry.path());
        }
    }
    if (ec) {
        return error_reply(503, "consultation bundles unavailable; try again later");
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        const auto data = read_small_file(file);
        if (!data) {
            continue;
        }
        // Only what is needed to decide whether to fetch; the kiosk checks the signature itself.
        auto decoded = bundle::decode_bundle(*data);
        const std::string name = file.filename().string();
        if (!decoded || decoded->id + std::string(kBundleSuffix) != name) {
            continue;
        }
        items.push_back(
            {{"id", decoded->id}, {"version", decoded->version}, {"sha256", bundle::sha256_hex(*data)}});
    }
    return HttpReply{200, "application/json", nlohmann::json{{"consultations", items}}.dump(), {}};
}

} // namespace

void add_consultation_routes(RouteTable& table, std::filesystem::path bundles_folder) {
    Route list_route;
    list_route.method = "GET";
    list_route.path = std::string(kConsultationsPath);
    list_route.flags = RouteFlags_DeviceToken;
    list_route.handle = [bundles_folder](const HttpRequest&) { return list(bundles_folder); };
    table.add(std::move(list_route));

    Route one;
    one.method = "GET";
    one.path = std::string(kConsultationsPath) + "/*";
    one.flags = RouteFlags_DeviceToken;
    one.handle = [bundles_folder](const HttpRequest& request) {
        const std::string id = request.path.substr(kConsultationsPath.size() + 1);
        // A slug has no '/' or '.': the id can only name a file inside the folder.
        if (!is_slug(id)) {
            return error_reply(404, "no consultation bundle with that id");
        }
        const auto data = read_small_file(bundles_folder / (id + std::string(kBundleSuffix)));
        if (!data) {
            return error_reply(404, "no consultation bundle '" + id + "'");
        }
        return HttpReply{200, "application/json", *data, {}};
    };
    table.add(std::move(one));
}

} // namespace buurtstem
