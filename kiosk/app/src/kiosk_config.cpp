#include "buurtstem/app/kiosk_config.hpp"

#include <toml++/toml.h>

#include <fstream>

namespace buurtstem {

namespace {

struct ConfigProblem {
    std::string message;
};

std::string where(const std::filesystem::path& file, const toml::node& node) {
    return file.string() + ":" + std::to_string(node.source().begin.line) + ": ";
}

std::filesystem::path resolve(const std::filesystem::path& base, const std::string& value) {
    const std::filesystem::path p(value);
    return p.is_absolute() ? p : (base / p).lexically_normal();
}

std::optional<std::string> get_string(const toml::table& table, std::string_view key,
                                      const std::filesystem::path& file) {
    const toml::node* node = table.get(key);
    if (node == nullptr) {
        return std::nullopt;
    }
    if (!node->is_string()) {
        throw ConfigProblem{where(file, *node) + "'" + std::string(key) + "' must be text in quotes"};
    }
    return node->as_string()->get();
}

std::optional<std::chrono::seconds> get_seconds(const toml::table& table, std::string_view key,
                                                const std::filesystem::path& file) {
    const toml::node* node = table.get(key);
    if (node == nullptr) {
        return std::nullopt;
    }
    if (!node->is_integer() || node->as_integer()->get() < 1 || node->as_integer()->get() > 86400) {
        throw ConfigProblem{where(file, *node) + "'" + std::string(key) +
                            "' must be a number of seconds (1-86400)"};
    }
    return std::chrono::seconds(node->as_integer()->get());
}

} // namespace

std::filesystem::path default_kiosk_config_path() {
    return std::filesystem::path(BUURTSTEM_DEFAULT_ROOT) / "config" / "kiosk.toml";
}

Result<KioskConfig, std::string> load_kiosk_config(const std::filesystem::path& path) {
    const std::filesystem::path base = std::filesystem::absolute(path).parent_path();
    try {
        toml::table root = toml::parse_file(path.string());
        KioskConfig c;
        const auto device = get_string(root, "device_id", path);
        if (!device || device->empty()) {
            throw ConfigProblem{path.string() +
                                ": 'device_id' is missing (the name the server knows this kiosk by)"};
        }
        c.device_id = *device;
        const auto consultation = get_string(root, "consultation", path);
        if (!consultation) {
            throw ConfigProblem{path.string() +
                                ": 'consultation' is missing (the consultation file to show)"};
        }
        c.consultation = resolve(base, *consultation);
        c.database = resolve(base, get_string(root, "database", path).value_or("../var/kiosk.sqlite"));
        c.assets = resolve(base, get_string(root, "assets", path).value_or("../assets"));
        c.font = resolve(
            base, get_string(root, "font", path).value_or("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"));

        if (const toml::table* sync = root["sync"].as_table()) {
            c.server_url = get_string(*sync, "server", path);
            c.token_file =
                resolve(base, get_string(*sync, "token_file", path).value_or("../var/kiosk.token"));
            if (auto ca = get_string(*sync, "ca_file", path)) {
                c.ca_file = resolve(base, *ca);
            }
            c.sync_interval = get_seconds(*sync, "interval_seconds", path).value_or(c.sync_interval);
        }
        if (const toml::table* timing = root["timing"].as_table()) {
            c.idle_warning = get_seconds(*timing, "idle_warning_seconds", path).value_or(c.idle_warning);
            c.idle_reset = get_seconds(*timing, "idle_reset_seconds", path).value_or(c.idle_reset);
            c.thanks = get_seconds(*timing, "thanks_seconds", path).value_or(c.thanks);
        }
        return c;
    } catch (const toml::parse_error& error) {
        return fail(path.string() + ":" + std::to_string(error.source().begin.line) + ":" +
                    std::to_string(error.source().begin.column) + ": " + std::string(error.description()));
    } catch (const ConfigProblem& problem) {
        return fail(problem.message);
    }
}

Result<SyncSettings, std::string> sync_settings_for(const KioskConfig& config) {
    if (!config.server_url) {
        return fail(std::string("no [sync] server in the kiosk configuration"));
    }
    std::ifstream in(config.token_file);
    std::string token;
    if (!in || !std::getline(in, token) || token.empty()) {
        return fail("cannot read the device token from " + config.token_file.string() +
                    " (register this kiosk with 'buurtstem-server add-device')");
    }
    SyncSettings s;
    s.server_url = *config.server_url;
    s.device_id = config.device_id;
    s.token = token;
    s.ca_file = config.ca_file.string();
    return s;
}

} // namespace buurtstem
