// buurtstem-server's device commands: enrol-code, revoke, add-device, reissue-token, device-key. Every one
// changes what a kiosk may do, in the store --db names.
#include <chrono>
#include <iostream>

#include "buurtstem/core/atomic_file.hpp"
#include "buurtstem/core/clock.hpp"
#include "buurtstem/protocol/usb_bundle.hpp"
#include "buurtstem/server/enrolment.hpp"
#include "buurtstem/server/qr_code.hpp"
#include "cli.hpp"

namespace buurtstem::server_cli {
namespace {

struct DeviceOptions {
    std::string db;
    std::string device;
    std::optional<std::string> token_file;
    std::string valid_hours = "24";
    std::optional<std::string> qr;
    std::string key;
};

void add_device_option(CLI::App* cmd, DeviceOptions& o) {
    cmd->add_option("--device", o.device, "the kiosk's device id")->required()->type_name("ID");
}

// add-device and reissue-token: both hand out a token, shown once or written to a file only the
// owner can read.
int hand_out_token(const DeviceOptions& o, bool reissue) {
    auto store = open_store(o.db);
    if (!store) {
        return 1;
    }
    auto token = reissue ? store->reissue_token(o.device) : store->add_device(o.device);
    if (!token) {
        return fail_with(token.error().to_string());
    }
    if (o.token_file) {
        if (auto written = write_file_atomically(*o.token_file, *token + "\n", 0600); !written) {
            return fail_with(written.error());
        }
        std::cerr << "device '" << o.device << "' " << (reissue ? "has a new token" : "registered")
                  << "; token written to " << *o.token_file << "\n";
    } else {
        std::cout << *token << "\n";
    }
    return 0;
}

int enrol_code(const DeviceOptions& o) {
    const auto hours = parse_int(o.valid_hours, 1, 24 * 30);
    if (!hours) {
        return usage_error("enrol-code",
                           "--valid-hours must be a whole number from 1 to 720, not '" + o.valid_hours + "'");
    }
    auto store = open_store(o.db);
    if (!store) {
        return 1;
    }
    const std::string code = new_enrolment_code();
    const std::string expires = to_iso8601_utc(std::chrono::system_clock::now() + std::chrono::hours(*hours));
    if (auto added = store->add_enrolment_code(o.device, enrolment_code_hash(*normalize_enrolment_code(code)),
                                               expires);
        !added) {
        return fail_with(added.error().to_string());
    }
    if (o.qr) {
        auto svg = qr_svg(code);
        if (!svg) {
            return fail_with(svg.error());
        }
        if (auto written = write_file_atomically(*o.qr, *svg, 0600); !written) {
            return fail_with(written.error());
        }
    }
    // The code on stdout alone (scripts read it); the explanation and the QR code on stderr.
    std::cout << code << "\n";
    std::cerr << "enrolment code for device '" << o.device << "', valid once until " << expires
              << " (UTC).\nOn the kiosk: buurtstem-kiosk --enrol " << code << "\n";
    if (auto terminal = qr_terminal(code)) {
        std::cerr << *terminal;
    }
    return 0;
}

int revoke(const DeviceOptions& o) {
    auto store = open_store(o.db);
    if (!store) {
        return 1;
    }
    if (auto revoked = store->revoke_device(o.device); !revoked) {
        return fail_with(revoked.error().to_string());
    }
    std::cerr << "device '" << o.device
              << "' is switched off: its token is refused from now on; its responses stay stored. "
                 "To bring it back: enrol-code.\n";
    return 0;
}

int device_key(const DeviceOptions& o) {
    if (!usb_bundle::is_public_key_hex(o.key)) {
        return usage_error("device-key",
                           "--key must be the kiosk's public key: 64 hex digits, not '" + o.key + "'");
    }
    auto store = open_store(o.db);
    if (!store) {
        return 1;
    }
    if (auto set = store->set_device_key(o.device, o.key); !set) {
        return fail_with(set.error().to_string());
    }
    std::cerr << "device '" << o.device << "': USB bundles signed with this key are accepted from now on\n";
    return 0;
}

} // namespace

void add_device_commands(Commands& commands) {
    {
        auto o = std::make_shared<DeviceOptions>();
        CLI::App* cmd =
            commands.add("enrol-code", "a one-time code the kiosk exchanges for its token",
                         "On the kiosk: buurtstem-kiosk --enrol CODE. The code is printed alone on "
                         "standard output, a QR code of it on standard error.");
        add_db_option(cmd, o->db);
        add_device_option(cmd, *o);
        cmd->add_option("--valid-hours", o->valid_hours, "how long the code may be used (1 to 720 hours)")
            ->type_name("HOURS")
            ->capture_default_str();
        add_optional(cmd, "--qr", o->qr, "also write the code as a QR code (SVG, mode 0600)")
            ->type_name("FILE.svg");
        commands.on_run(cmd, [o] { return enrol_code(*o); });
    }
    {
        auto o = std::make_shared<DeviceOptions>();
        CLI::App* cmd = commands.add(
            "revoke", "switch a device off at once (a stolen kiosk); its stored responses are kept");
        add_db_option(cmd, o->db);
        add_device_option(cmd, *o);
        commands.on_run(cmd, [o] { return revoke(*o); });
    }
    for (const bool reissue : {false, true}) {
        auto o = std::make_shared<DeviceOptions>();
        CLI::App* cmd =
            reissue ? commands.add("reissue-token", "a new token for a device; the old one stops working")
                    : commands.add("add-device", "register a device and hand out its token");
        add_db_option(cmd, o->db);
        add_device_option(cmd, *o);
        add_optional(cmd, "--token-file", o->token_file,
                     "write the token to FILE (mode 0600) instead of standard output")
            ->type_name("FILE");
        commands.on_run(cmd, [o, reissue] { return hand_out_token(*o, reissue); });
    }
    {
        auto o = std::make_shared<DeviceOptions>();
        CLI::App* cmd = commands.add(
            "device-key", "register the bundle-signing key of a kiosk enrolled before kiosks had one",
            "The key is printed by 'buurtstem-kiosk --export-bundle'.");
        add_db_option(cmd, o->db);
        add_device_option(cmd, *o);
        cmd->add_option("--key", o->key, "the kiosk's public key: 64 hex digits")
            ->required()
            ->type_name("HEX");
        commands.on_run(cmd, [o] { return device_key(*o); });
    }
}

} // namespace buurtstem::server_cli
