// The kiosk's configuration file (config/kiosk.toml): which consultation, which database, which server.
// Relative paths are resolved against the folder of the configuration file, so a config folder can be
// moved as a whole.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "buurtstem/core/result.hpp"
#include "buurtstem/sync/sync_client.hpp"

namespace buurtstem {

struct KioskConfig {
    std::string device_id;
    std::filesystem::path consultation;
    std::filesystem::path database;
    std::filesystem::path assets;
    std::filesystem::path font;

    // Sync is off when no server is configured (a kiosk that is emptied by hand, or a demo without one).
    std::optional<std::string> server_url;
    std::filesystem::path token_file;
    std::filesystem::path ca_file;
    std::string server_pin; // "sha256//BASE64=" of the server's public key; empty: CA check only
    std::chrono::seconds sync_interval{30};
    // Signed consultations from the server: the council's Ed25519 public key (base64; empty: no pull)
    // and the folder where accepted ones are kept.
    std::string council_public_key;
    std::filesystem::path consultations_folder;
    // "You said, we did": the public key of the server's result key (base64; empty: no results pulled;
    // see result_bundle.hpp), and the server's public address for the results page's QR code on the
    // thank-you screen (`https://<public_url>/r/<code>`; default: the sync server's address).
    std::string result_public_key;
    std::string public_url;
    // The kiosk's Ed25519 secret key (issue 10): signs USB bundles; its public key is registered with the
    // server at enrolment. [sync] device_key_file; default kiosk.key beside the token file. Made on first
    // use.
    std::filesystem::path device_key_file;

    std::chrono::seconds idle_warning{90};
    std::chrono::seconds idle_reset{20};
    std::chrono::seconds thanks{10};

    // [speech] Read-aloud with espeak-ng.
    bool speech = true;               // the speaker button on every screen
    bool speak_automatically = false; // every question reads itself aloud when it appears (an event setting)
    bool speech_to_device = true;     // false: never open a sound card; speech only runs against the clock

    // [volunteer] The volunteer's console: the PIN file, the settings file (both beside the database unless
    // given), the long press on the hidden corner, the PIN lockout, where "Naar USB-stick" writes.
    std::filesystem::path volunteer_pin_file;
    std::filesystem::path volunteer_settings_file;
    double long_press_seconds = 3.0;
    int pin_free_attempts = 3;
    std::chrono::seconds pin_first_lockout{30};
    std::chrono::seconds console_idle{120};
    std::filesystem::path usb_folder; // empty: the first writable folder under /media/<user>
};

// Errors name the file and line, like consultation errors.
Result<KioskConfig, std::string> load_kiosk_config(const std::filesystem::path& path);

// The sync settings for this kiosk: reads the token file. Errors name the token file.
Result<SyncSettings, std::string> sync_settings_for(const KioskConfig& config);

// The configuration file used when --config is not given: config/kiosk.toml in the source tree.
std::filesystem::path default_kiosk_config_path();

} // namespace buurtstem
