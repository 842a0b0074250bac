// buurtstem-server: the central server program.
//
//   buurtstem-server serve --db FILE --cert FILE --key FILE [--host 127.0.0.1] [--port 8443]
//                          [--consultations DIR] [--header-timeout S] [--idle-timeout S]
//                          [--max-per-address N] [--body-budget-mib N] [--bundles DIR]
//                          [--result-key FILE]
//   buurtstem-server enrol-code --db FILE --device ID [--valid-hours 24] [--qr FILE.svg]
//   buurtstem-server revoke --db FILE --device ID
//   buurtstem-server keygen --secret-key FILE --public-key FILE
//   buurtstem-server sign --secret-key FILE --out DIR consultation.toml...
//   buurtstem-server add-device --db FILE --device ID [--token-file FILE]
//   buurtstem-server reissue-token --db FILE --device ID [--token-file FILE]
//   buurtstem-server export --db FILE --consultation ID [--format csv|xlsx|json] [--consultations DIR]
//                           [--out FILE] [--separator ';'|','] [--language nl]
//   buurtstem-server set-result --db FILE --consultation ID --lang nl --text-file FILE
//   buurtstem-server count --db FILE [--consultation ID]
//   buurtstem-server check FILE|DIR...
//   buurtstem-server add-staff --db FILE --user NAME --role admin|analyst [--municipality NAME] [--replace]
//   buurtstem-server events --db FILE
//   buurtstem-server device-key --db FILE --device ID --key HEX
//   buurtstem-server import FILE --db FILE [--consultations DIR]
//   buurtstem-server export-contacts --db FILE [--out FILE] [--separator ';']
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <malloc.h>
#include <memory>
#include <optional>
#include <pthread.h>
#include <sys/resource.h>
#include <thread>

#include "buurtstem/consultation/consultation_loader.hpp"
#include "buurtstem/consultation/plain_language.hpp"
#include "buurtstem/core/args.hpp"
#include "buurtstem/core/atomic_file.hpp"
#include "buurtstem/core/clock.hpp"
#include "buurtstem/protocol/bundle.hpp"
#include "buurtstem/protocol/usb_bundle.hpp"
#include "buurtstem/server/bundle_import.hpp"
#include "buurtstem/server/consultation_routes.hpp"
#include "buurtstem/server/enrolment.hpp"
#include "buurtstem/server/export.hpp"
#include "buurtstem/server/https_server.hpp"
#include "buurtstem/server/qr_code.hpp"
#include "buurtstem/server/result_routes.hpp"
#include "buurtstem/server/staff_auth.hpp"
#include "buurtstem/server/staff_store.hpp"
#include "buurtstem/server/web_routes.hpp"

using namespace buurtstem;

namespace {

constexpr const char* kUsage = R"(usage:
  buurtstem-server serve --db FILE --cert FILE --key FILE [--host 127.0.0.1] [--port 8443] [--consultations DIR]
                         [--header-timeout 10] [--idle-timeout 30] [--max-per-address 64]
                         [--body-budget-mib 64] [--bundles DIR] [--result-key FILE]
      --body-budget-mib: request bodies buffered at once, all uploads together; past it: 503 + Retry-After
      --result-key: the key that signs result texts for the kiosks (make it with keygen; kiosks trust
      its public half as [sync] result_public_key, for result texts only)
  buurtstem-server enrol-code --db FILE --device ID [--valid-hours 24] [--qr FILE.svg]
      a one-time code the kiosk exchanges for its token (buurtstem-kiosk --enrol CODE)
  buurtstem-server revoke --db FILE --device ID
      switch a device off at once (a stolen kiosk); its stored responses are kept
  buurtstem-server keygen --secret-key FILE --public-key FILE
      the council's signing key; keep the secret key off the server
  buurtstem-server sign --secret-key FILE --out DIR consultation.toml...
      signed bundles for `serve --bundles DIR`
  buurtstem-server add-device --db FILE --device ID [--token-file FILE]
  buurtstem-server reissue-token --db FILE --device ID [--token-file FILE]
  buurtstem-server export --db FILE --consultation ID [--format csv|xlsx|json] [--consultations DIR]
                          [--out FILE] [--separator ';'] [--language nl]
      streamed, rows one at a time: csv (Dutch Excel: ';', BOM), xlsx (raw sheet + a summary sheet per
      question), json (JSON Lines: a header line, then one object per response); --out: written to a
      temp file, renamed when whole (mode 0600); without --out to stdout (not xlsx)
  buurtstem-server set-result --db FILE --consultation ID --lang nl --text-file FILE
      "you said, we did": the short result text kiosks show on their start screen; the file holds the
      text, then optionally a line '---' and one 'label: value' figure per line; an empty file removes
      the language
  buurtstem-server count --db FILE [--consultation ID]
  buurtstem-server check FILE|DIR...     every consultation file that cannot be used, and plain-language
                                         warnings on the Dutch texts; exit 1 when a file cannot be used
  buurtstem-server add-staff --db FILE --user NAME --role admin|analyst [--municipality NAME] [--replace]
      a dashboard account (https://HOST:PORT/); the password is read from standard input (one line).
      An analyst sees the consultations of their municipality; an admin without one sees all.
      --replace gives an existing account a new password, role and municipality (and lifts a lockout)

  buurtstem-server events --db FILE
      per event: date, name, wijk, municipality and the responses through the kiosk, in conversation
      (facilitated) and on paper, side by side
  buurtstem-server device-key --db FILE --device ID --key HEX
      register the bundle-signing key of a kiosk enrolled before kiosks had one (its 64 hex digits)
  buurtstem-server import FILE --db FILE [--consultations DIR]
      store the responses of a USB bundle ('buurtstem-kiosk --export-bundle'); checks the kiosk's
      signature; importing the same bundle again adds nothing
  buurtstem-server export-contacts --db FILE [--out FILE] [--separator ';']
      the residents who asked to be invited, apart from every response (CSV)

  --db FILE is an SQLite file (created if missing), or a PostgreSQL database given as
  postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=require&...] (its tables are created or
  upgraded on first use; PGPASSWORD or ~/.pgpass avoid a password on the command line).
)";

int usage_error(const std::string& message) {
    std::cerr << "buurtstem-server: " << message << "\n" << kUsage;
    return 2;
}

bool report_problems(const Args& args) {
    const auto problems = args.problems();
    for (const std::string& p : problems) {
        std::cerr << "buurtstem-server: " << p << "\n";
    }
    return !problems.empty();
}

// The server store `db` names (an SQLite file, or postgresql://...), or nullptr after saying why.
std::unique_ptr<ServerStore> open_store(const std::string& db) {
    auto store = open_server_store(db);
    if (!store) {
        std::cerr << "buurtstem-server: " << store.error().to_string() << "\n";
        return nullptr;
    }
    return std::move(store).value();
}

// A whole number from `low` to `high`, or nullopt.
std::optional<int> parse_int(const std::string& text, int low, int high) {
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < low || value > high) {
        return std::nullopt;
    }
    return value;
}

// Every idle or slow connection holds a descriptor: take the whole hard limit the system grants, so
// the connection cap, not the default 1 024, decides how many are served.
void raise_open_file_limit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

std::optional<int> parse_port(const std::string& text) {
    int port = -1;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
    if (ec != std::errc() || end != text.data() + text.size() || port < 0 || port > 65535) {
        return std::nullopt;
    }
    return port;
}

std::optional<std::string> read_whole(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// A key file as keygen wrote it (base64 on one line), without its line break.
Result<std::string, std::string> read_key_file(const std::string& path) {
    auto text = read_whole(path);
    if (!text) {
        return fail("cannot read key file '" + path + "'");
    }
    while (!text->empty() && (text->back() == '\n' || text->back() == '\r')) {
        text->pop_back();
    }
    return std::move(text).value();
}

// Every consultation in `folder`, or every reason some entry of it cannot be used: a server that
// quietly left one out would take uploads for it unchecked.
Result<ConsultationCatalog, std::string> load_catalog(const std::string& folder) {
    if (folder.empty()) {
        return ConsultationCatalog{};
    }
    ConsultationScan scan = scan_consultations({folder});
    if (!scan.problems.empty()) {
        std::string message = "cannot use the consultations in " + folder + ":";
        for (const ConsultationError& problem : scan.problems) {
            message += "\n  " + problem.to_string();
        }
        message += "\nfix or remove " + std::string(scan.problems.size() == 1 ? "it" : "them") +
                   "; `buurtstem-server check " + folder + "` lists the same";
        return fail(message);
    }
    return ConsultationCatalog(std::move(scan.consultations));
}

// check FILE|DIR...: what serve would refuse, and what a B1 reader might stumble on.
int check(Args& args) {
    if (report_problems(args)) {
        return 2;
    }
    std::vector<std::filesystem::path> paths(args.positional().begin() + 1, args.positional().end());
    if (paths.empty()) {
        return usage_error("check needs at least one consultation file or folder");
    }
    const ConsultationScan scan = scan_consultations(paths);
    size_t warnings = 0;
    for (const Consultation& c : scan.consultations) {
        std::cout << "ok: " << c.source << ": '" << c.id << "' version " << c.version << ", "
                  << c.questions.size() << " questions\n";
        for (const std::string& warning : plain_language_warnings(c)) {
            std::cout << c.source << ": warning: " << warning << "\n";
            ++warnings;
        }
    }
    for (const ConsultationError& problem : scan.problems) {
        std::cerr << problem.to_string() << "\n";
    }
    std::cout << scan.consultations.size() << " usable, " << scan.problems.size() << " cannot be used, "
              << warnings << " plain-language warnings\n";
    return scan.problems.empty() ? 0 : 1;
}

int serve(Args& args) {
    const auto db = args.value("--db");
    const auto cert = args.value("--cert");
    const auto key = args.value("--key");
    const std::string port_text = args.value_or("--port", "8443");
    HttpsServerSettings settings{cert.value_or(""), key.value_or(""), args.value_or("--host", "127.0.0.1"),
                                 0};
    const std::string consultations = args.value_or("--consultations", "");
    const std::string header_timeout = args.value_or("--header-timeout", "10");
    const std::string idle_timeout = args.value_or("--idle-timeout", "30");
    const std::string per_address = args.value_or("--max-per-address", "64");
    const std::string body_budget = args.value_or("--body-budget-mib", "64");
    const auto bundles = args.value("--bundles");
    const auto result_key_file = args.value("--result-key");
    if (report_problems(args)) {
        return 2;
    }
    if (!db || !cert || !key) {
        return usage_error("serve needs --db, --cert and --key");
    }
    const auto header_seconds = parse_int(header_timeout, 1, 3600);
    const auto idle_seconds = parse_int(idle_timeout, 1, 3600);
    const auto per_address_count = parse_int(per_address, 1, 100000);
    const auto body_budget_mib = parse_int(body_budget, 8, 65536);
    if (!header_seconds || !idle_seconds || !per_address_count) {
        return usage_error(
            "--header-timeout and --idle-timeout take seconds (1 to 3600), --max-per-address a "
            "count (1 to 100000)");
    }
    if (!body_budget_mib) {
        // Below one upload's limit (8 MiB) a legal batch could never be taken.
        return usage_error("--body-budget-mib takes MiB from 8 (one upload's limit) to 65536, not '" +
                           body_budget + "'");
    }
    settings.max_buffered_body_bytes = static_cast<size_t>(*body_budget_mib) * 1024 * 1024;
    settings.header_timeout_seconds = *header_seconds;
    settings.idle_timeout_seconds = *idle_seconds;
    settings.max_connections_per_address = static_cast<unsigned>(*per_address_count);
    raise_open_file_limit();
    // Request bodies are large, short-lived blocks allocated on the worker threads. With glibc's sliding
    // mmap threshold they land in per-thread heaps, fragment, and the resident set keeps what the body
    // budget has already given back; above a fixed threshold each is a mapping of its own, returned to
    // the system when its request ends.
    mallopt(M_MMAP_THRESHOLD, 512 * 1024);
    const auto port = parse_port(port_text);
    if (!port) {
        return usage_error("--port must be a number from 0 (any free port) to 65535, not '" + port_text +
                           "'");
    }
    settings.port = *port;
    auto catalog = load_catalog(consultations);
    if (!catalog) {
        std::cerr << "buurtstem-server: " << catalog.error() << "\n";
        return 1;
    }
    auto store = open_store(*db);
    if (!store) {
        return 1;
    }

    // Block SIGINT/SIGTERM in every thread (the pool inherits this mask); one thread waits for them and
    // stops the server, which is the only safe place to call stop() from.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    auto server = HttpsServer::create(settings, *store, *catalog);
    if (!server) {
        std::cerr << "buurtstem-server: " << server.error() << "\n";
        return 1;
    }
    const auto log = [](const std::string& line) { std::cerr << now_iso8601_utc() << " " << line << "\n"; };
    (*server)->set_log([](const std::string& line) { std::cerr << line << "\n"; });
    // Route modules. At most 10 wrong codes per address per 15 minutes: with 50-bit codes that live a
    // day, guessing is hopeless, while a person who mistypes a few times is not locked out for long.
    EnrolmentLimiter limiter(10, std::chrono::minutes(15));
    RouteTable routes;
    add_enrolment_routes(routes, *store, limiter, log);
    // The dashboard and public results pages (web_routes.hpp), on the same port.
    auto staff = open_staff_store(*db);
    if (!staff) {
        std::cerr << "buurtstem-server: " << staff.error().to_string() << "\n";
        return 1;
    }
    StaffAuth auth(**staff);
    WebContext web{*store, **staff, auth, *catalog, log};
    add_web_routes(routes, web);
    if (bundles) {
        if (!std::filesystem::is_directory(*bundles)) {
            std::cerr << "buurtstem-server: --bundles '" << *bundles << "' is not a folder\n";
            return 1;
        }
        add_consultation_routes(routes, *bundles);
    }
    if (result_key_file) {
        auto result_key = read_key_file(*result_key_file);
        if (!result_key) {
            std::cerr << "buurtstem-server: --result-key: " << result_key.error() << "\n";
            return 1;
        }
        // Refuse a wrong file now, not at the first kiosk's sync.
        if (auto probe = result_bundle::sign_result(ConsultationResult{"probe", 1, "", {}}, *result_key);
            !probe) {
            std::cerr << "buurtstem-server: --result-key " << *result_key_file << ": " << probe.error()
                      << "\n";
            return 1;
        }
        add_result_routes(routes, *store, *result_key, log);
    }
    (*server)->add_routes(routes);

    std::atomic<bool> served{false};
    std::thread signal_waiter([&] {
        int signal = 0;
        sigwait(&signals, &signal);
        // A signal may come before serve() has begun; stop() is remembered, but repeat until serve()
        // has returned all the same.
        while (!served) {
            (*server)->stop();
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });
    // Tests and the demo script wait for this exact line before they connect.
    std::printf("buurtstem-server: listening on https://%s:%d (%zu consultations)\n", settings.host.c_str(),
                (*server)->port(), catalog->size());
    std::fflush(stdout);
    const bool ok = (*server)->serve();
    served = true;
    if (!ok) {
        // serve() returned without stop(): wake the signal thread so it can be joined.
        pthread_kill(signal_waiter.native_handle(), SIGTERM);
    }
    signal_waiter.join();
    std::fprintf(stderr, "buurtstem-server: stopped\n");
    return ok ? 0 : 1;
}

// add-device and reissue-token: both hand out a token, shown once or written to a file only the
// owner can read.
int hand_out_token(Args& args, bool reissue) {
    const auto db = args.value("--db");
    const auto device = args.value("--device");
    const auto token_file = args.value("--token-file");
    if (report_problems(args)) {
        return 2;
    }
    if (!db || !device) {
        return usage_error(std::string(reissue ? "reissue-token" : "add-device") +
                           " needs --db and --device");
    }
    auto store = open_store(*db);
    if (!store) {
        return 1;
    }
    auto token = reissue ? store->reissue_token(*device) : store->add_device(*device);
    if (!token) {
        std::cerr << "buurtstem-server: " << token.error().to_string() << "\n";
        return 1;
    }
    if (token_file) {
        if (auto written = write_file_atomically(*token_file, *token + "\n", 0600); !written) {
            std::cerr << "buurtstem-server: " << written.error() << "\n";
            return 1;
        }
        std::cerr << "device '" << *device << "' " << (reissue ? "has a new token" : "registered")
                  << "; token written to " << *token_file << "\n";
    } else {
        std::cout << *token << "\n";
    }
    return 0;
}

int export_responses(Args& args) {
    const auto db = args.value("--db");
    const auto consultation = args.value("--consultation");
    const auto out = args.value("--out");
    const std::string folder = args.value_or("--consultations", "");
    const std::string separator = args.value_or("--separator", ";");
    const std::string format_name = args.value_or("--format", "csv");
    ExportOptions options;
    options.language = args.value_or("--language", "nl");
    if (report_problems(args)) {
        return 2;
    }
    if (!db || !consultation) {
        return usage_error("export needs --db and --consultation");
    }
    if (separator.size() != 1) {
        return usage_error("--separator must be one character, such as ';' or ','");
    }
    const auto format = parse_export_format(format_name);
    if (!format) {
        return usage_error("--format must be csv, xlsx or json, not '" + format_name + "'");
    }
    if (*format == ExportFormat::Xlsx && !out) {
        return usage_error("an xlsx export needs --out FILE (a zip file does not belong on a terminal)");
    }
    options.separator = separator[0];
    auto catalog = load_catalog(folder);
    if (!catalog) {
        std::cerr << "buurtstem-server: " << catalog.error() << "\n";
        return 1;
    }
    auto store = open_store(*db);
    if (!store) {
        return 1;
    }
    const auto written =
        out ? export_to_file(*format, *store, *catalog, *consultation, options, *out)
            : write_export(*format, *store, *catalog, *consultation, options, file_sink(stdout));
    if (!written) {
        std::cerr << "buurtstem-server: export of '" << *consultation << "': " << written.error().to_string()
                  << "\n";
        return 1;
    }
    if (!out && std::fflush(stdout) != 0) {
        std::cerr << "buurtstem-server: export of '" << *consultation
                  << "': cannot write to standard output\n";
        return 1;
    }
    return 0;
}

int set_result(Args& args) {
    const auto db = args.value("--db");
    const auto consultation = args.value("--consultation");
    const auto language = args.value("--lang");
    const auto text_file = args.value("--text-file");
    if (report_problems(args)) {
        return 2;
    }
    if (!db || !consultation || !language || !text_file) {
        return usage_error("set-result needs --db, --consultation, --lang and --text-file");
    }
    const auto content = read_whole(*text_file);
    if (!content) {
        std::cerr << "buurtstem-server: cannot read '" << *text_file << "'\n";
        return 1;
    }
    auto text = parse_result_text_file(*content, *language);
    if (!text) {
        std::cerr << "buurtstem-server: " << *text_file << ": " << text.error() << "\n";
        return 1;
    }
    auto store = open_store(*db);
    if (!store) {
        return 1;
    }
    if (auto set = store->set_result_text(*consultation, *text); !set) {
        std::cerr << "buurtstem-server: " << set.error().to_string() << "\n";
        return 1;
    }
    auto result = store->result_for(*consultation);
    const int64_t revision = result && *result ? (*result)->revision : 0;
    std::cerr << "result of '" << *consultation << "' in '" << *language << "' "
              << (text->text.empty() && text->figures.empty() ? "removed" : "set") << " (revision "
              << revision << "); kiosks pick it up at their next sync. Public page: /r/"
              << public_result_code(*consultation) << "\n";
    return 0;
}

int count(Args& args) {
    const auto db = args.value("--db");
    const std::string consultation = args.value_or("--consultation", "");
    if (report_problems(args)) {
        return 2;
    }
    if (!db) {
        return usage_error("count needs --db");
    }
    auto store = open_store(*db);
    if (!store) {
        return 1;
    }
    auto n = store->count_responses(consultation);
    if (!n) {
        std::cerr << "buurtstem-server: " << n.error().to_string() << "\n";
        return 1;
    }
    std::cout << *n << "\n";
    return 0;
}

// [SECTION] Issue 10: events, device keys, USB bundles, contacts

int events(Args& args) {
    const auto db = args.value("--db");
    if (report_problems(args)) {
        return 2;
    }
    if (!db) {
        return usage_error("events needs --db");
    }
    auto store = open_store(*db);
    if (!store) {
        return 1;
    }
    auto list = store->event_counts();
    if (!list) {
        std::cerr << "buurtstem-server: " << list.error().to_string() << "\n";
        return 1;
    }
    // Tab-separated, one event per line: reads in a terminal and pastes into a spreadsheet. The three
    // channels side by side and never only their sum: a conversation is not a kiosk visit.
    std::cout << "date\tevent\twijk\tmunicipality\tdevice\tkiosk\tconversation\tpaper\n";
    for (const EventCounts& e : *list) {
        std::cout << e.event.date << "\t" << e.event.name << "\t" << e.event.wijk << "\t"
                  << e.event.municipality << "\t" << e.device_id << "\t" << e.kiosk << "\t" << e.facilitated
                  << "\t" << e.paper << "\n";
    }
    return 0;
}

int device_key(Args& args) {
    const auto db = args.value("--db");
    const auto device = args.value("--device");
    const auto key = args.value("--key");
    if (report_problems(args)) {
        return 2;
    }
    if (!db || !device || !key) {
        return usage_error("device-key needs --db, --device and --key");
    }
    if (!usb_bundle::is_public_key_hex(*key)) {
        return usage_error("--key must be the kiosk's public key: 64 hex digits, not '" + *key + "'");
    }
    auto store = open_store(*db);
    if (!store) {
        return 1;
    }
    if (auto set = store->set_device_key(*device, *key); !set) {
        std::cerr << "buurtstem-server: " << set.error().to_string() << "\n";
        return 1;
    }
    std::cerr << "device '" << *device << "': USB bundles signed with this key are accepted from now on\n";
    return 0;
}

int import_bundle(Args& args) {
    const auto db = args.value("--db");
    const std::string folder = args.value_or("--consultations", "");
    if (report_problems(args)) {
        return 2;
    }
    if (!db || args.positional().size() != 2) {
        return usage_error("import needs a bundle FILE and --db");
    }
    const std::string file = args.positional()[1];
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        std::cerr << "buurtstem-server: cannot open " << file << ": " << std::strerror(errno) << "\n";
        return 1;
    }
    std::string bytes;
    bytes.resize(usb_bundle::kMaxBundleBytes + 1);
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    bytes.resize(static_cast<size_t>(in.gcount()));
    if (bytes.size() > usb_bundle::kMaxBundleBytes) {
        std::cerr << "buurtstem-server: " << file << " is larger than " << usb_bundle::kMaxBundleBytes
                  << " bytes; not a bundle this server reads\n";
        return 1;
    }
    auto catalog = load_catalog(folder);
    if (!catalog) {
        std::cerr << "buurtstem-server: " << catalog.error() << "\n";
        return 1;
    }
    auto store = open_store(*db);
    if (!store) {
        return 1;
    }
    auto report = import_usb_bundle(*store, *catalog, bytes);
    if (!report) {
        std::cerr << "buurtstem-server: " << file << " refused: " << report.error() << "\n";
        return 1;
    }
    return print_import_report(*report, file, std::cout, std::cerr);
}

int export_contacts(Args& args) {
    const auto db = args.value("--db");
    const auto out = args.value("--out");
    const std::string separator = args.value_or("--separator", ";");
    if (report_problems(args)) {
        return 2;
    }
    if (!db) {
        return usage_error("export-contacts needs --db");
    }
    if (separator.size() != 1) {
        return usage_error("--separator must be one character, such as ';' or ','");
    }
    auto store = open_store(*db);
    if (!store) {
        return 1;
    }
    const char sep = separator[0];
    std::string csv = std::string("\xEF\xBB\xBF") + "consultation" + sep + "day" + sep + "name" + sep +
                      "phone_or_email\r\n";
    auto visited = store->for_each_contact([&](const ContactEntry& c) {
        csv += csv_field(c.consultation_id, sep) + sep + csv_field(c.day, sep) + sep +
               csv_field(c.name, sep) + sep + csv_field(c.phone_or_email, sep) + "\r\n";
    });
    if (!visited) {
        std::cerr << "buurtstem-server: " << visited.error().to_string() << "\n";
        return 1;
    }
    if (!out) {
        std::cout << csv;
        return 0;
    }
    // Personal data: readable by the owner only.
    if (auto written = write_file_atomically(*out, csv, 0600); !written) {
        std::cerr << "buurtstem-server: " << written.error() << "\n";
        return 1;
    }
    return 0;
}

std::optional<int> parse_hours(const std::string& text) {
    int hours = -1;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), hours);
    if (ec != std::errc() || end != text.data() + text.size() || hours < 1 || hours > 24 * 30) {
        return std::nullopt;
    }
    return hours;
}

int enrol_code(Args& args) {
    const auto db = args.value("--db");
    const auto device = args.value("--device");
    const std::string hours_text = args.value_or("--valid-hours", "24");
    const auto qr_file = args.value("--qr");
    if (report_problems(args)) {
        return 2;
    }
    if (!db || !device) {
        return usage_error("enrol-code needs --db and --device");
    }
    const auto hours = parse_hours(hours_text);
    if (!hours) {
        return usage_error("--valid-hours must be a whole number from 1 to 720, not '" + hours_text + "'");
    }
    auto store = open_store(*db);
    if (!store) {
        return 1;
    }
    const std::string code = new_enrolment_code();
    const std::string expires = to_iso8601_utc(std::chrono::system_clock::now() + std::chrono::hours(*hours));
    if (auto added =
            store->add_enrolment_code(*device, enrolment_code_hash(*normalize_enrolment_code(code)), expires);
        !added) {
        std::cerr << "buurtstem-server: " << added.error().to_string() << "\n";
        return 1;
    }
    if (qr_file) {
        auto svg = qr_svg(code);
        if (!svg) {
            std::cerr << "buurtstem-server: " << svg.error() << "\n";
            return 1;
        }
        if (auto written = write_file_atomically(*qr_file, *svg, 0600); !written) {
            std::cerr << "buurtstem-server: " << written.error() << "\n";
            return 1;
        }
    }
    // The code on stdout alone (scripts read it); the explanation and the QR code on stderr.
    std::cout << code << "\n";
    std::cerr << "enrolment code for device '" << *device << "', valid once until " << expires
              << " (UTC).\nOn the kiosk: buurtstem-kiosk --enrol " << code << "\n";
    if (auto terminal = qr_terminal(code)) {
        std::cerr << *terminal;
    }
    return 0;
}

int revoke(Args& args) {
    const auto db = args.value("--db");
    const auto device = args.value("--device");
    if (report_problems(args)) {
        return 2;
    }
    if (!db || !device) {
        return usage_error("revoke needs --db and --device");
    }
    auto store = open_store(*db);
    if (!store) {
        return 1;
    }
    if (auto revoked = store->revoke_device(*device); !revoked) {
        std::cerr << "buurtstem-server: " << revoked.error().to_string() << "\n";
        return 1;
    }
    std::cerr << "device '" << *device
              << "' is switched off: its token is refused from now on; its responses stay stored. "
                 "To bring it back: enrol-code.\n";
    return 0;
}

int keygen(Args& args) {
    const auto secret = args.value("--secret-key");
    const auto pub = args.value("--public-key");
    if (report_problems(args)) {
        return 2;
    }
    if (!secret || !pub) {
        return usage_error("keygen needs --secret-key and --public-key");
    }
    if (std::filesystem::exists(*secret)) {
        // Overwriting a council key would make every kiosk refuse the next bundle.
        std::cerr << "buurtstem-server: " << *secret << " exists; not overwriting a signing key\n";
        return 1;
    }
    const bundle::KeyPair pair = bundle::generate_key_pair();
    if (auto w = write_file_atomically(*secret, pair.secret_key + "\n", 0600); !w) {
        std::cerr << "buurtstem-server: " << w.error() << "\n";
        return 1;
    }
    if (auto w = write_file_atomically(*pub, pair.public_key + "\n", 0644); !w) {
        std::cerr << "buurtstem-server: " << w.error() << "\n";
        return 1;
    }
    std::cout << "council_public_key = \"" << pair.public_key << "\"\n";
    std::cerr << "put the line above in each kiosk's [sync] section; keep " << *secret << " off the server\n";
    return 0;
}

int sign(Args& args) {
    const auto secret = args.value("--secret-key");
    const auto out = args.value("--out");
    if (report_problems(args)) {
        return 2;
    }
    const std::vector<std::string> files(args.positional().begin() + 1, args.positional().end());
    if (!secret || !out || files.empty()) {
        return usage_error("sign needs --secret-key, --out and at least one consultation file");
    }
    const auto key = read_whole(*secret);
    if (!key) {
        std::cerr << "buurtstem-server: cannot read secret key '" << *secret << "'\n";
        return 1;
    }
    std::string key_text = *key;
    while (!key_text.empty() && (key_text.back() == '\n' || key_text.back() == '\r')) {
        key_text.pop_back();
    }
    for (const std::string& file : files) {
        const auto toml = read_whole(file);
        if (!toml) {
            std::cerr << "buurtstem-server: cannot read '" << file << "'\n";
            return 1;
        }
        auto signed_bundle = bundle::sign_consultation(*toml, key_text, file);
        if (!signed_bundle) {
            std::cerr << "buurtstem-server: " << file << ": " << signed_bundle.error() << "\n";
            return 1;
        }
        const std::filesystem::path target =
            std::filesystem::path(*out) / (signed_bundle->id + std::string(kBundleSuffix));
        if (auto w = write_file_atomically(target, bundle::encode_bundle(*signed_bundle), 0644); !w) {
            std::cerr << "buurtstem-server: " << w.error() << "\n";
            return 1;
        }
        std::cerr << "signed " << signed_bundle->id << " version " << signed_bundle->version << " -> "
                  << target.string() << "\n";
    }
    return 0;
}

// add-staff: a dashboard account; the password from standard input, so it is in no shell history or
// process list.
int add_staff(Args& args) {
    const auto db = args.value("--db");
    const auto user = args.value("--user");
    const auto role_text = args.value("--role");
    const std::string municipality = args.value_or("--municipality", "");
    const bool replace = args.flag("--replace");
    if (report_problems(args)) {
        return 2;
    }
    if (!db || !user || !role_text) {
        return usage_error("add-staff needs --db, --user and --role");
    }
    const auto role = parse_staff_role(*role_text);
    if (!role) {
        return usage_error("--role must be admin or analyst, not '" + *role_text + "'");
    }
    if (user->empty() || user->size() > 64 || user->find_first_of(" \t\r\n") != std::string::npos) {
        return usage_error("--user must be 1 to 64 characters without spaces, not '" + *user + "'");
    }
    if (*role == StaffRole::Analyst && municipality.empty()) {
        return usage_error("an analyst needs --municipality (the consultations they may see)");
    }
    std::string password;
    if (!std::getline(std::cin, password)) {
        std::cerr << "buurtstem-server: add-staff reads the password from standard input; none was given\n";
        return 1;
    }
    if (!password.empty() && password.back() == '\r') {
        password.pop_back();
    }
    if (password.size() < 12) {
        std::cerr << "buurtstem-server: the password must be at least 12 characters (it was "
                  << password.size() << ")\n";
        return 1;
    }
    auto store = open_store(*db); // creates the database and the server's own tables first
    if (!store) {
        return 1;
    }
    auto staff = open_staff_store(*db);
    if (!staff) {
        std::cerr << "buurtstem-server: " << staff.error().to_string() << "\n";
        return 1;
    }
    auto hash = hash_staff_password(password);
    if (!hash) {
        std::cerr << "buurtstem-server: " << hash.error() << "\n";
        return 1;
    }
    if (auto put = (*staff)->put_staff(StaffAccount{*user, *role, municipality, *hash, 0, ""}, replace);
        !put) {
        std::cerr << "buurtstem-server: " << put.error().to_string()
                  << (put.error().kind == ServerStoreError::Kind::Exists ? " (--replace to change it)" : "")
                  << "\n";
        return 1;
    }
    std::cerr << "staff account '" << *user << "' (" << to_string(*role)
              << (municipality.empty() ? std::string() : ", " + municipality) << ") "
              << (replace ? "set" : "added") << "\n";
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    Args args(argc, argv, {"--help", "--replace"});
    if (args.flag("--help") || args.positional().empty()) {
        std::cout << kUsage;
        return args.positional().empty() && !args.flag("--help") ? 2 : 0;
    }
    const std::string command = args.positional().front();
    try {
        if (command == "serve") {
            return serve(args);
        }
        if (command == "add-device") {
            return hand_out_token(args, false);
        }
        if (command == "reissue-token") {
            return hand_out_token(args, true);
        }
        if (command == "export") {
            return export_responses(args);
        }
        if (command == "set-result") {
            return set_result(args);
        }
        if (command == "count") {
            return count(args);
        }
        if (command == "enrol-code") {
            return enrol_code(args);
        }
        if (command == "revoke") {
            return revoke(args);
        }
        if (command == "keygen") {
            return keygen(args);
        }
        if (command == "sign") {
            return sign(args);
        }
        if (command == "check") {
            return check(args);
        }
        if (command == "add-staff") {
            return add_staff(args);
        }
        if (command == "events") {
            return events(args);
        }
        if (command == "device-key") {
            return device_key(args);
        }
        if (command == "import") {
            return import_bundle(args);
        }
        if (command == "export-contacts") {
            return export_contacts(args);
        }
    } catch (const std::exception& e) {
        std::cerr << "buurtstem-server: " << e.what() << "\n";
        return 1;
    }
    return usage_error("unknown command '" + command + "'");
}
