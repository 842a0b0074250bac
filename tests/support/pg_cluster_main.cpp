// buurtstem_pg_cluster: the throw-away PostgreSQL cluster of the tests and the bench (pg_cluster.hpp).
//
//   buurtstem_pg_cluster start --state FILE     for a ctest FIXTURES_SETUP: stops a stale cluster named
//                                              in FILE, starts one owned by ctest (this program's
//                                              parent), writes FILE, returns when it accepts connections
//   buurtstem_pg_cluster stop --state FILE      for FIXTURES_CLEANUP: stops it, removes its folder
//   buurtstem_pg_cluster run --owner PID [--durable] [--state FILE]
//                                              the watchdog itself: initdb, postgres, wait for the owner
//                                              to end (or SIGTERM), then stop postgres and clean up.
//                                              Prints "ready PORT FOLDER" once connections are accepted.
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <grp.h>
#include <iostream>
#include <libpq-fe.h>
#include <optional>
#include <poll.h>
#include <pwd.h>
#include <string>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "buurtstem/core/command_line.hpp"
#include "pg_cluster.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace buurtstem::test;

namespace {

[[noreturn]] void die(const std::string& message) {
    std::fprintf(stderr, "buurtstem_pg_cluster: %s\n", message.c_str());
    std::exit(1);
}

// The newest PostgreSQL Debian installed.
fs::path bin_dir() {
    std::optional<fs::path> best;
    int best_version = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
        const int version = std::atoi(entry.path().filename().c_str());
        if (version > best_version && fs::exists(entry.path() / "bin" / "postgres")) {
            best_version = version;
            best = entry.path() / "bin";
        }
    }
    if (!best) {
        die("no PostgreSQL server in /usr/lib/postgresql/*/bin (Debian package postgresql; "
            "deploy/install-deps.sh installs it)");
    }
    return *best;
}

// Who runs postgres: ourselves, or under root (which postgres refuses) an unprivileged user.
struct RunAs {
    bool switch_user = false;
    uid_t uid = 0;
    gid_t gid = 0;
};

RunAs run_as() {
    if (geteuid() != 0) {
        return {};
    }
    for (const char* name : {"postgres", "nobody"}) {
        if (const passwd* user = getpwnam(name)) {
            return {true, user->pw_uid, user->pw_gid};
        }
    }
    die("running as root, and neither user 'postgres' nor 'nobody' exists to run PostgreSQL as");
}

// Starts `argv` as `who`, its output to `log`; `death_signal` non-zero: sent to it when we end.
pid_t spawn(const std::vector<std::string>& args, const RunAs& who, const fs::path& log, int death_signal) {
    std::vector<std::string> copy = args;
    std::vector<char*> argv;
    for (std::string& a : copy) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    const std::string log_path = log.string();
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid < 0) {
        die(std::string("fork: ") + std::strerror(errno));
    }
    if (pid == 0) {
        const int out = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        const int in = open("/dev/null", O_RDONLY);
        dup2(in, STDIN_FILENO);
        dup2(out, STDOUT_FILENO);
        dup2(out, STDERR_FILENO);
        if (who.switch_user && (setgroups(0, nullptr) != 0 || setgid(who.gid) != 0 || setuid(who.uid) != 0)) {
            _exit(126);
        }
        // After the user switch: changing credentials clears the parent-death signal.
        if (death_signal != 0) {
            prctl(PR_SET_PDEATHSIG, death_signal);
            if (getppid() != parent) {
                _exit(125);
            }
        }
        execv(argv[0], argv.data());
        _exit(127);
    }
    return pid;
}

int wait_exit(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// [SECTION] run: the watchdog

int run(pid_t owner, bool durable, const std::optional<fs::path>& state_file) {
    // Signals arrive through a descriptor, polled beside the owner's and postgres's ends.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGHUP);
    sigprocmask(SIG_BLOCK, &signals, nullptr);
    const int signal_fd = signalfd(-1, &signals, SFD_CLOEXEC);
    const int owner_fd = open_pidfd(owner);
    if (owner_fd < 0) {
        die("the owner (pid " + std::to_string(owner) + ") is already gone");
    }

    const RunAs who = run_as();
    std::string pattern = (fs::temp_directory_path() / "buurtstem-pg-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
        die("mkdtemp failed");
    }
    const fs::path folder = pattern;
    const auto clean_up = [&] {
        std::error_code ec;
        fs::remove_all(folder, ec);
    };
    if (who.switch_user && chown(folder.c_str(), who.uid, who.gid) != 0) {
        clean_up();
        die("cannot hand " + folder.string() + " to the PostgreSQL user: " + std::strerror(errno));
    }
    const fs::path bin = bin_dir();
    const fs::path data = folder / "data";
    const fs::path log = folder / "postgres.log";
    if (wait_exit(spawn({(bin / "initdb").string(), "-D", data.string(), "-U", "buurtstem", "-A", "trust",
                         "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions"},
                        who, folder / "initdb.log", SIGKILL)) != 0) {
        const std::string why = read_file(folder / "initdb.log");
        clean_up();
        die("initdb failed:\n" + why);
    }

    pid_t postgres = -1;
    int port = 0;
    for (int attempt = 0; attempt < 5 && postgres < 0; ++attempt) {
        port = free_loopback_port(); // another process may take it first: then try the next
        std::vector<std::string> args = {(bin / "postgres").string(),  "-D", data.string(),         "-p",
                                         std::to_string(port),         "-k", folder.string(),       "-c",
                                         "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c",
                                         "shared_buffers=64MB"};
        if (!durable) {
            for (const char* setting : {"fsync=off", "synchronous_commit=off", "full_page_writes=off"}) {
                args.insert(args.end(), {"-c", setting});
            }
        }
        // SIGQUIT: PostgreSQL's immediate shutdown; nothing in a throw-away cluster needs more.
        const pid_t pid = spawn(args, who, log, SIGQUIT);
        const std::string uri = "postgresql://buurtstem@127.0.0.1:" + std::to_string(port) + "/postgres";
        bool ready = false;
        const bool settled = eventually(
            [&] {
                if (waitpid(pid, nullptr, WNOHANG) == pid) {
                    return true; // ended: could not bind, or worse; the log says
                }
                ready = PQping(uri.c_str()) == PQPING_OK;
                return ready;
            },
            std::chrono::seconds(60));
        if (settled && ready) {
            postgres = pid;
        } else if (!settled) {
            kill(pid, SIGQUIT);
            waitpid(pid, nullptr, 0);
            break;
        }
    }
    if (postgres < 0) {
        const std::string why = read_file(log);
        clean_up();
        die("postgres did not start:\n" + why);
    }
    {
        PGconn* admin =
            PQconnectdb(("postgresql://buurtstem@127.0.0.1:" + std::to_string(port) + "/postgres").c_str());
        PGresult* created = PQexec(admin, "CREATE DATABASE buurtstem");
        const bool ok = PQresultStatus(created) == PGRES_COMMAND_OK;
        const std::string why = PQerrorMessage(admin);
        PQclear(created);
        PQfinish(admin);
        if (!ok) {
            kill(postgres, SIGQUIT);
            waitpid(postgres, nullptr, 0);
            clean_up();
            die("CREATE DATABASE buurtstem: " + why);
        }
    }
    if (state_file) {
        std::ofstream(state_file->string() + ".tmp")
            << port << " " << getpid() << " " << folder.string() << "\n";
        fs::rename(state_file->string() + ".tmp", *state_file);
    }
    std::printf("ready %d %s\n", port, folder.c_str());
    std::fflush(stdout);
    // Nothing more to say: let go of the pipe, so whoever reads it (ctest) is not held up by it.
    const int null_fd = open("/dev/null", O_WRONLY);
    dup2(null_fd, STDOUT_FILENO);
    dup2(null_fd, STDERR_FILENO);
    close(null_fd);

    const int postgres_fd = open_pidfd(postgres);
    pollfd waits[3] = {{owner_fd, POLLIN, 0}, {signal_fd, POLLIN, 0}, {postgres_fd, POLLIN, 0}};
    while (poll(waits, 3, -1) < 0 && errno == EINTR) {
    }
    kill(postgres, SIGQUIT);
    waitpid(postgres, nullptr, 0);
    clean_up();
    if (state_file) {
        // Only our own record: a newer run may have written the file since.
        const auto recorded = PgCluster::attach(*state_file);
        std::error_code ec;
        if (recorded && recorded->watchdog() == getpid()) {
            fs::remove(*state_file, ec);
        }
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"The throw-away PostgreSQL cluster of the tests and the bench.", "buurtstem_pg_cluster"};
    buurtstem::use_command_line_conventions(app);
    app.require_subcommand(0, 1);
    std::string state;
    pid_t owner = 0;
    bool durable = false;
    const auto add_durable = [&](CLI::App* command) {
        command->add_flag("--durable", durable, "keep fsync on (the bench's figures); the tests run without");
    };
    CLI::App* start = app.add_subcommand(
        "start", "for a ctest FIXTURES_SETUP: stops a stale cluster named in FILE, starts one owned by ctest "
                 "(this program's parent), writes FILE, returns when it accepts connections");
    start->add_option("--state", state, "where the cluster's port and folder are kept")
        ->required()
        ->type_name("FILE");
    add_durable(start);
    CLI::App* stop =
        app.add_subcommand("stop", "for FIXTURES_CLEANUP: stops the cluster, removes its folder");
    stop->add_option("--state", state, "the file start wrote")->required()->type_name("FILE");
    CLI::App* run_command = app.add_subcommand(
        "run", "the watchdog itself: initdb, postgres, wait for the owner to end (or SIGTERM), then stop "
               "postgres and clean up. Prints \"ready PORT FOLDER\" once connections are accepted.");
    run_command->add_option("--owner", owner, "the process whose end ends the cluster")
        ->required()
        ->type_name("PID")
        ->check(CLI::PositiveNumber);
    add_durable(run_command);
    run_command->add_option("--state", state, "also write the cluster's port and folder here")
        ->type_name("FILE");
    if (const auto done = buurtstem::parse_command_line(app, argc, argv)) {
        return *done;
    }
    try {
        if (run_command->parsed()) {
            return run(owner, durable, state.empty() ? std::nullopt : std::optional<fs::path>(state));
        }
        if (start->parsed()) {
            stop_stale_cluster(state);
            // Owned by ctest, our parent: the cluster lives through every test that needs it and ends
            // with the run, however the run ends.
            PgClusterSettings settings;
            settings.owner = getppid();
            settings.durable = durable;
            const PgCluster cluster = PgCluster::start(settings);
            cluster.save(state);
            std::printf("test PostgreSQL cluster on 127.0.0.1:%d in %s\n", cluster.port(),
                        cluster.folder().c_str());
            return 0;
        }
        if (stop->parsed()) {
            if (auto cluster = PgCluster::attach(state)) {
                cluster->stop();
                std::printf("stopped the test PostgreSQL cluster on 127.0.0.1:%d\n", cluster->port());
            }
            stop_stale_cluster(state);
            return 0;
        }
    } catch (const std::exception& e) {
        die(e.what());
    }
    std::cerr << app.help();
    return 2;
}
