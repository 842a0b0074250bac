// buurtstem-server: the central server program.
//
//   buurtstem-server serve --db FILE --cert FILE --key FILE [--host 127.0.0.1] [--port 8443]
//                          [--consultations DIR]
//   buurtstem-server add-device --db FILE --device ID [--token-file FILE]
//   buurtstem-server reissue-token --db FILE --device ID [--token-file FILE]
//   buurtstem-server export --db FILE --consultation ID [--consultations DIR] [--out FILE]
//                           [--separator ';'|','] [--language nl]
//   buurtstem-server count --db FILE [--consultation ID]
//   buurtstem-server check FILE|DIR...
#include <atomic>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <pthread.h>
#include <thread>

#include "buurtstem/consultation/consultation_loader.hpp"
#include "buurtstem/consultation/plain_language.hpp"
#include "buurtstem/core/args.hpp"
#include "buurtstem/core/atomic_file.hpp"
#include "buurtstem/server/csv_export.hpp"
#include "buurtstem/server/https_server.hpp"

using namespace buurtstem;

namespace {

constexpr const char* kUsage = R"(usage:
  buurtstem-server serve --db FILE --cert FILE --key FILE [--host 127.0.0.1] [--port 8443] [--consultations DIR]
  buurtstem-server add-device --db FILE --device ID [--token-file FILE]
  buurtstem-server reissue-token --db FILE --device ID [--token-file FILE]
  buurtstem-server export --db FILE --consultation ID [--consultations DIR] [--out FILE] [--separator ';'] [--language nl]
  buurtstem-server count --db FILE [--consultation ID]
  buurtstem-server check FILE|DIR...     every consultation file that cannot be used, and plain-language
                                         warnings on the Dutch texts; exit 1 when a file cannot be used
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

// The server store at `path`, or nullptr after saying why on stderr.
std::unique_ptr<ServerStore> open_store(const std::string& path) {
    auto store = open_sqlite_server_store(path);
    if (!store) {
        std::cerr << "buurtstem-server: " << store.error().to_string() << "\n";
        return nullptr;
    }
    return std::move(store).value();
}

std::optional<int> parse_port(const std::string& text) {
    int port = -1;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
    if (ec != std::errc() || end != text.data() + text.size() || port < 0 || port > 65535) {
        return std::nullopt;
    }
    return port;
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
    if (report_problems(args)) {
        return 2;
    }
    if (!db || !cert || !key) {
        return usage_error("serve needs --db, --cert and --key");
    }
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
    (*server)->set_log([](const std::string& line) { std::cerr << line << "\n"; });

    std::atomic<bool> served{false};
    std::thread signal_waiter([&] {
        int signal = 0;
        sigwait(&signals, &signal);
        // cpp-httplib's stop() does nothing until listening has begun, and a signal may come just
        // before that: repeat until serve() has returned.
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
    CsvOptions options;
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
    auto csv = export_csv(*store, *catalog, *consultation, options);
    if (!csv) {
        std::cerr << "buurtstem-server: " << csv.error().to_string() << "\n";
        return 1;
    }
    if (!out) {
        std::cout << *csv;
        return 0;
    }
    // Residents' own words: readable by the owner only, shared on purpose.
    if (auto written = write_file_atomically(*out, *csv, 0600); !written) {
        std::cerr << "buurtstem-server: " << written.error() << "\n";
        return 1;
    }
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

} // namespace

int main(int argc, char** argv) {
    Args args(argc, argv, {"--help"});
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
        if (command == "count") {
            return count(args);
        }
        if (command == "check") {
            return check(args);
        }
    } catch (const std::exception& e) {
        std::cerr << "buurtstem-server: " << e.what() << "\n";
        return 1;
    }
    return usage_error("unknown command '" + command + "'");
}
