#include "buurtstem/app/kiosk_config.hpp"

#include "buurtstem/core/read_file.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <fstream>

#include "buurtstem/core/slug.hpp"
#include "buurtstem/protocol/bundle.hpp"

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

// A typo such as `idle_reset_second` must not be silently ignored: name it and what is allowed.
void reject_unknown_keys(const toml::table& table, std::initializer_list<std::string_view> known,
                         const std::filesystem::path& file, const std::string& section) {
    for (auto&& [key, value] : table) {
        if (std::find(known.begin(), known.end(), key.str()) == known.end()) {
            std::string list;
            for (std::string_view k : known) {
                list += (list.empty() ? "" : ", ") + std::string(k);
            }
            throw ConfigProblem{where(file, value) + "unknown key '" + section + std::string(key.str()) +
                                "' (allowed: " + list + ")"};
        }
    }
}

const toml::table* get_table(const toml::table& root, std::string_view key,
                             const std::filesystem::path& file) {
    const toml::node* node = root.get(key);
    if (node != nullptr && !node->is_table()) {
        throw ConfigProblem{where(file, *node) + "'" + std::string(key) + "' must be a section: [" +
                            std::string(key) + "]"};
    }
    return node != nullptr ? node->as_table() : nullptr;
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

std::optional<bool> get_bool(const toml::table& table, std::string_view key,
                             const std::filesystem::path& file) {
    const toml::node* node = table.get(key);
    if (node == nullptr) {
        return std::nullopt;
    }
    if (!node->is_boolean()) {
        throw ConfigProblem{where(file, *node) + "'" + std::string(key) + "' must be true or false"};
    }
    return node->as_boolean()->get();
}

} // namespace

std::filesystem::path default_kiosk_config_path() {
    return std::filesystem::path(BUURTSTEM_DEFAULT_ROOT) / "config" / "kiosk.toml";
}

Result<KioskConfig, std::string> load_kiosk_config(const std::filesystem::path& path) {
    const std::filesystem::path base = std::filesystem::absolute(path).parent_path();
    // A missing or unreadable config says so ("FILE: cannot open: No such file or directory"), not FILE:0:0.
    constexpr size_t kMaxConfigBytes = 64 * 1024;
    auto content = read_small_file(path, kMaxConfigBytes);
    if (!content) {
        return fail(path.string() + ": " + content.error());
    }
    try {
        toml::table root = toml::parse(*content, path.string());
        reject_unknown_keys(root,
                            {"device_id", "consultation", "database", "assets", "font", "sync", "timing",
                             "speech", "volunteer"},
                            path, "");
        KioskConfig c;
        const auto device = get_string(root, "device_id", path);
        if (!device || device->empty()) {
            throw ConfigProblem{path.string() +
                                ": 'device_id' is missing (the name the server knows this kiosk by)"};
        }
        if (!is_slug(*device)) {
            throw ConfigProblem{where(path, *root.get("device_id")) +
                                "'device_id' must be 1-64 lower-case letters, " +
                                "digits, '-' or '_' (got '" + *device + "')"};
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

        if (const toml::table* sync = get_table(root, "sync", path)) {
            reject_unknown_keys(*sync,
                                {"server", "token_file", "ca_file", "server_pin", "interval_seconds",
                                 "council_public_key", "consultations_folder", "result_public_key",
                                 "public_url", "device_key_file"},
                                path, "sync.");
            c.result_public_key = get_string(*sync, "result_public_key", path).value_or("");
            if (!c.result_public_key.empty() && !bundle::is_public_key(c.result_public_key)) {
                throw ConfigProblem{where(path, *sync->get("result_public_key")) +
                                    "'sync.result_public_key' must be the public key of the server's "
                                    "result key (the line 'buurtstem-server keygen' printed for it)"};
            }
            if (auto public_url = get_string(*sync, "public_url", path)) {
                // Goes into a QR code and onto the screen: a plain https address of sensible length.
                if (!public_url->starts_with("https://") || public_url->size() > 200 ||
                    public_url->find_first_of(" \t\r\n\"<>") != std::string::npos) {
                    throw ConfigProblem{where(path, *sync->get("public_url")) +
                                        "'sync.public_url' must be an https:// address of at most 200 "
                                        "characters, such as \"https://buurtstem.velsen.nl\""};
                }
                c.public_url = *public_url;
            }
            c.council_public_key = get_string(*sync, "council_public_key", path).value_or("");
            if (!c.council_public_key.empty() && !bundle::is_public_key(c.council_public_key)) {
                throw ConfigProblem{where(path, *sync->get("council_public_key")) +
                                    "'sync.council_public_key' must be the line 'buurtstem-server keygen' "
                                    "printed (base64 of a 32-byte key)"};
            }
            c.consultations_folder = resolve(
                base, get_string(*sync, "consultations_folder", path).value_or("../var/consultations"));
            c.server_url = get_string(*sync, "server", path);
            if (c.public_url.empty() && c.server_url && c.server_url->starts_with("https://")) {
                c.public_url = *c.server_url; // residents reach the server the kiosks use
            }
            c.token_file =
                resolve(base, get_string(*sync, "token_file", path).value_or("../var/kiosk.token"));
            if (auto ca = get_string(*sync, "ca_file", path)) {
                c.ca_file = resolve(base, *ca);
            }
            if (auto key = get_string(*sync, "device_key_file", path)) {
                c.device_key_file = resolve(base, *key);
            }
            if (auto pin = get_string(*sync, "server_pin", path)) {
                if (pin->rfind("sha256//", 0) != 0 || pin->size() < 8 + 44) {
                    throw ConfigProblem{
                        where(path, *sync->get("server_pin")) +
                        "'sync.server_pin' must look like \"sha256//BASE64=\" (the hash of the "
                        "server's public key, as 'openssl pkey -pubin -outform der | openssl "
                        "dgst -sha256 -binary | base64' prints it)"};
                }
                c.server_pin = *pin;
            }
            c.sync_interval = get_seconds(*sync, "interval_seconds", path).value_or(c.sync_interval);
        }
        if (c.device_key_file.empty()) {
            // Beside the token: both are this kiosk's secrets, kept (and backed up) together.
            c.device_key_file = c.token_file.empty() ? resolve(base, "../var/kiosk.key")
                                                     : c.token_file.parent_path() / "kiosk.key";
        }
        if (const toml::table* timing = get_table(root, "timing", path)) {
            reject_unknown_keys(*timing, {"idle_warning_seconds", "idle_reset_seconds", "thanks_seconds"},
                                path, "timing.");
            c.idle_warning = get_seconds(*timing, "idle_warning_seconds", path).value_or(c.idle_warning);
            c.idle_reset = get_seconds(*timing, "idle_reset_seconds", path).value_or(c.idle_reset);
            c.thanks = get_seconds(*timing, "thanks_seconds", path).value_or(c.thanks);
        }
        if (const toml::table* speech = get_table(root, "speech", path)) {
            reject_unknown_keys(*speech, {"enabled", "speak_automatically", "audio"}, path, "speech.");
            c.speech = get_bool(*speech, "enabled", path).value_or(c.speech);
            c.speak_automatically =
                get_bool(*speech, "speak_automatically", path).value_or(c.speak_automatically);
            if (auto audio = get_string(*speech, "audio", path)) {
                if (*audio != "device" && *audio != "none") {
                    throw ConfigProblem{
                        where(path, *speech->get("audio")) +
                        "'speech.audio' must be \"device\" (the sound card) or \"none\" (got '" + *audio +
                        "')"};
                }
                c.speech_to_device = *audio == "device";
            }
        }
        c.volunteer_pin_file = c.database.parent_path() / "volunteer.pin";
        c.volunteer_settings_file = c.database.parent_path() / "volunteer-settings.toml";
        if (const toml::table* volunteer = get_table(root, "volunteer", path)) {
            reject_unknown_keys(*volunteer,
                                {"pin_file", "settings_file", "long_press_seconds", "pin_attempts",
                                 "lockout_seconds", "console_idle_seconds", "usb_folder"},
                                path, "volunteer.");
            if (auto file = get_string(*volunteer, "pin_file", path)) {
                c.volunteer_pin_file = resolve(base, *file);
            }
            if (auto file = get_string(*volunteer, "settings_file", path)) {
                c.volunteer_settings_file = resolve(base, *file);
            }
            if (auto folder = get_string(*volunteer, "usb_folder", path)) {
                c.usb_folder = resolve(base, *folder);
            }
            if (const toml::node* press = volunteer->get("long_press_seconds")) {
                const auto value = press->value<double>();
                if (!value || *value < 0.5 || *value > 30) {
                    throw ConfigProblem{where(path, *press) +
                                        "'volunteer.long_press_seconds' must be 0.5-30"};
                }
                c.long_press_seconds = *value;
            }
            if (const toml::node* attempts = volunteer->get("pin_attempts")) {
                if (!attempts->is_integer() || attempts->as_integer()->get() < 1 ||
                    attempts->as_integer()->get() > 10) {
                    throw ConfigProblem{
                        where(path, *attempts) +
                        "'volunteer.pin_attempts' must be 1-10 (wrong PINs before a lockout)"};
                }
                c.pin_free_attempts = static_cast<int>(attempts->as_integer()->get());
            }
            c.pin_first_lockout =
                get_seconds(*volunteer, "lockout_seconds", path).value_or(c.pin_first_lockout);
            c.console_idle = get_seconds(*volunteer, "console_idle_seconds", path).value_or(c.console_idle);
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
    std::getline(in, token);
    // Editors and copy-paste leave spaces and Windows line ends; a token never contains either.
    const auto first = token.find_first_not_of(" \t\r\n");
    const auto last = token.find_last_not_of(" \t\r\n");
    token = first == std::string::npos ? std::string() : token.substr(first, last - first + 1);
    if (!in || token.empty()) {
        return fail("cannot read the device token from " + config.token_file.string() +
                    " (enrol this kiosk: buurtstem-kiosk --enrol CODE with a code from "
                    "'buurtstem-server enrol-code', or copy a token from 'buurtstem-server add-device')");
    }
    SyncSettings s;
    s.server_url = *config.server_url;
    s.device_id = config.device_id;
    s.token = token;
    s.ca_file = config.ca_file.string();
    s.pinned_public_key = config.server_pin;
    return s;
}

} // namespace buurtstem
