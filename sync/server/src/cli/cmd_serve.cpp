// buurtstem-server serve: the HTTPS endpoint (uploads, enrolment, signed consultations and results, the
// dashboard and public results pages) until SIGINT or SIGTERM.
#include <malloc.h>
#include <pthread.h>
#include <sys/resource.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

#include "buurtstem/core/clock.hpp"
#include "buurtstem/server/consultation_routes.hpp"
#include "buurtstem/server/enrolment.hpp"
#include "buurtstem/server/https_server.hpp"
#include "buurtstem/server/result_routes.hpp"
#include "buurtstem/server/staff_auth.hpp"
#include "buurtstem/server/staff_store.hpp"
#include "buurtstem/server/web_routes.hpp"
#include "cli.hpp"

namespace buurtstem::server_cli {
namespace {

// Numbers stay text until run: a value out of range is refused with the range and the value given.
struct ServeOptions {
    std::string db;
    std::string cert;
    std::string key;
    std::string host = "127.0.0.1";
    std::string port = "8443";
    std::string consultations;
    std::string header_timeout = "10";
    std::string idle_timeout = "30";
    std::string per_address = "64";
    std::string body_budget = "64";
    std::optional<std::string> bundles;
    std::optional<std::string> result_key;
};

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

int serve(const ServeOptions& o) {
    HttpsServerSettings settings{o.cert, o.key, o.host, 0};
    const auto header_seconds = parse_int(o.header_timeout, 1, 3600);
    const auto idle_seconds = parse_int(o.idle_timeout, 1, 3600);
    const auto per_address_count = parse_int(o.per_address, 1, 100000);
    const auto body_budget_mib = parse_int(o.body_budget, 8, 65536);
    if (!header_seconds || !idle_seconds || !per_address_count) {
        return usage_error(
            "serve", "--header-timeout and --idle-timeout take seconds (1 to 3600), --max-per-address a "
                     "count (1 to 100000)");
    }
    if (!body_budget_mib) {
        // Below one upload's limit (8 MiB) a legal batch could never be taken.
        return usage_error("serve",
                           "--body-budget-mib takes MiB from 8 (one upload's limit) to 65536, not '" +
                               o.body_budget + "'");
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
    const auto port = parse_port(o.port);
    if (!port) {
        return usage_error("serve",
                           "--port must be a number from 0 (any free port) to 65535, not '" + o.port + "'");
    }
    settings.port = *port;
    auto catalog = load_catalog(o.consultations);
    if (!catalog) {
        std::cerr << "buurtstem-server: " << catalog.error() << "\n";
        return 1;
    }
    auto store = open_store(o.db);
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
    auto staff = open_staff_store(o.db);
    if (!staff) {
        std::cerr << "buurtstem-server: " << staff.error().to_string() << "\n";
        return 1;
    }
    StaffAuth auth(**staff);
    WebContext web{*store, **staff, auth, *catalog, log};
    add_web_routes(routes, web);
    if (o.bundles) {
        if (!std::filesystem::is_directory(*o.bundles)) {
            std::cerr << "buurtstem-server: --bundles '" << *o.bundles << "' is not a folder\n";
            return 1;
        }
        add_consultation_routes(routes, *o.bundles);
    }
    if (o.result_key) {
        auto result_key = read_key_file(*o.result_key);
        if (!result_key) {
            std::cerr << "buurtstem-server: --result-key: " << result_key.error() << "\n";
            return 1;
        }
        // Refuse a wrong file now, not at the first kiosk's sync.
        if (auto probe = result_bundle::sign_result(ConsultationResult{"probe", 1, "", {}}, *result_key);
            !probe) {
            std::cerr << "buurtstem-server: --result-key " << *o.result_key << ": " << probe.error() << "\n";
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

} // namespace

void add_serve_command(Commands& commands) {
    auto o = std::make_shared<ServeOptions>();
    CLI::App* cmd =
        commands.add("serve", "the HTTPS endpoint for kiosks, the dashboard and public results pages",
                     "Prints 'buurtstem-server: listening on https://HOST:PORT (N consultations)' "
                     "once it takes connections; stops on SIGINT or SIGTERM.");
    add_db_option(cmd, o->db);
    cmd->add_option("--cert", o->cert, "the server's TLS certificate chain (PEM)")
        ->required()
        ->type_name("FILE");
    cmd->add_option("--key", o->key, "the TLS certificate's private key (PEM)")
        ->required()
        ->type_name("FILE");
    cmd->add_option("--host", o->host, "the address to listen on")
        ->type_name("ADDRESS")
        ->capture_default_str();
    cmd->add_option("--port", o->port, "0 to 65535; 0: any free port")
        ->type_name("PORT")
        ->capture_default_str();
    add_consultations_option(cmd, o->consultations);
    cmd->add_option("--header-timeout", o->header_timeout, "seconds (1 to 3600) for a request's headers")
        ->type_name("SECONDS")
        ->capture_default_str();
    cmd->add_option("--idle-timeout", o->idle_timeout, "seconds (1 to 3600) a connection may stay idle")
        ->type_name("SECONDS")
        ->capture_default_str();
    cmd->add_option("--max-per-address", o->per_address, "connections from one address at once (1 to 100000)")
        ->type_name("N")
        ->capture_default_str();
    cmd->add_option("--body-budget-mib", o->body_budget,
                    "request bodies buffered at once, all uploads together (8 to 65536 MiB); past it: 503 + "
                    "Retry-After")
        ->type_name("MIB")
        ->capture_default_str();
    add_optional(cmd, "--bundles", o->bundles, "signed consultation bundles for the kiosks (made by `sign`)")
        ->type_name("DIR");
    add_optional(
        cmd, "--result-key", o->result_key,
        "the key that signs result texts for the kiosks (make it with keygen; kiosks trust its public "
        "half as [sync] result_public_key, for result texts only)")
        ->type_name("FILE");
    commands.on_run(cmd, [o] { return serve(*o); });
}

} // namespace buurtstem::server_cli
