#include "pg_cluster.hpp"

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <mutex>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "buurtstem/server/pg.hpp"

extern char** environ;

namespace buurtstem::test {

namespace {

constexpr auto kStartTimeoutMs = 60000;
constexpr auto kStopTimeoutMs = 20000;

} // namespace

int open_pidfd(pid_t pid) {
    return static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
}

namespace {

// Waits up to `timeout_ms` for `pid` to end (it need not be our child). True when it has.
bool wait_gone(pid_t pid, int timeout_ms) {
    const int fd = open_pidfd(pid);
    if (fd < 0) {
        return errno == ESRCH; // already gone
    }
    pollfd p{fd, POLLIN, 0};
    const int ready = poll(&p, 1, timeout_ms);
    close(fd);
    return ready > 0;
}

} // namespace

PgCluster PgCluster::start(const PgClusterSettings& settings) {
    // The watchdog is a program of its own (pg_cluster_main.cpp), not a fork of this process: the test
    // may have threads, and only exec is safe after fork then.
    const std::string owner = std::to_string(settings.owner != 0 ? settings.owner : getpid());
    std::vector<std::string> args = {BUURTSTEM_PG_CLUSTER_BIN, "run", "--owner", owner};
    if (settings.durable) {
        args.push_back("--durable");
    }
    std::vector<char*> argv;
    for (std::string& a : args) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
    const pid_t pid = fork();
    if (pid < 0) {
        throw std::runtime_error(std::string("cannot start the PostgreSQL watchdog: ") +
                                 std::strerror(errno));
    }
    if (pid == 0) {
        // Its own session: a Ctrl-C to the test's terminal reaches the test, whose end the watchdog
        // then sees, and it cleans up instead of dying half-way.
        setsid();
        dup2(fds[1], STDOUT_FILENO);
        dup2(fds[1], STDERR_FILENO); // its complaints, if it cannot start, are read below
        execve(argv[0], argv.data(), environ);
        _exit(127);
    }
    close(fds[1]);
    std::string out;
    char buffer[512];
    for (;;) {
        pollfd p{fds[0], POLLIN, 0};
        if (poll(&p, 1, kStartTimeoutMs) <= 0) {
            break;
        }
        const ssize_t n = read(fds[0], buffer, sizeof buffer);
        if (n <= 0) {
            break;
        }
        out.append(buffer, static_cast<size_t>(n));
        if (out.find('\n') != std::string::npos) {
            break;
        }
    }
    close(fds[0]);
    std::istringstream line(out);
    std::string word;
    PgCluster cluster;
    std::string folder;
    line >> word >> cluster.port_ >> folder;
    if (word != "ready") {
        kill(pid, SIGTERM);
        waitpid(pid, nullptr, 0);
        throw std::runtime_error("the test PostgreSQL cluster did not start: " +
                                 (out.empty() ? std::string("no word from ") + args[0] : out));
    }
    cluster.watchdog_ = pid;
    cluster.folder_ = folder;
    // The watchdog is our child until we end (then init reaps it); stop() reaps it when we stop it.
    return cluster;
}

std::optional<PgCluster> PgCluster::attach(const std::filesystem::path& state_file) {
    std::ifstream in(state_file);
    PgCluster cluster;
    std::string folder;
    if (!(in >> cluster.port_ >> cluster.watchdog_ >> folder)) {
        return std::nullopt;
    }
    cluster.folder_ = folder;
    return cluster;
}

void PgCluster::save(const std::filesystem::path& state_file) const {
    const std::filesystem::path temp = state_file.string() + ".tmp";
    std::ofstream(temp) << port_ << " " << watchdog_ << " " << folder_.string() << "\n";
    std::filesystem::rename(temp, state_file);
}

void PgCluster::stop() const {
    if (kill(watchdog_, SIGTERM) != 0) {
        return;
    }
    // Our own child (started here): reap it, or it stays a zombie and never looks gone.
    int status = 0;
    if (waitpid(watchdog_, &status, WNOHANG) == watchdog_) {
        return;
    }
    if (wait_gone(watchdog_, kStopTimeoutMs)) {
        waitpid(watchdog_, &status, WNOHANG);
    }
}

std::string PgCluster::uri(const std::string& database) const {
    return "postgresql://buurtstem@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

void stop_stale_cluster(const std::filesystem::path& state_file) {
    const auto stale = PgCluster::attach(state_file);
    if (!stale) {
        return;
    }
    // Only a watchdog of ours: a recycled pid may belong to anything by now.
    const std::string cmdline = [&] {
        std::ifstream in("/proc/" + std::to_string(stale->watchdog()) + "/cmdline");
        return std::string(std::istreambuf_iterator<char>(in), {});
    }();
    if (cmdline.find("buurtstem_pg_cluster") != std::string::npos) {
        stale->stop();
    }
    std::error_code ec;
    if (stale->folder().string().find("buurtstem-pg-") != std::string::npos) {
        std::filesystem::remove_all(stale->folder(), ec);
    }
    std::filesystem::remove(state_file, ec);
}

bool testing_postgresql() {
    const char* store = std::getenv("BUURTSTEM_TEST_STORE");
    return store != nullptr && std::string(store) == "postgresql";
}

std::string test_store_address(const std::filesystem::path& sqlite_path) {
    if (!testing_postgresql()) {
        return sqlite_path.string();
    }
    static std::mutex mutex;
    static std::optional<PgCluster> cluster;
    static std::map<std::string, std::string> schemas;
    std::lock_guard lock(mutex);
    if (!cluster) {
        // The ctest fixture's, if it runs; else one of our own, which ends with this process.
        cluster = PgCluster::attach(BUURTSTEM_PG_STATE_FILE);
        if (cluster && kill(cluster->watchdog(), 0) != 0) {
            cluster.reset();
        }
        if (!cluster) {
            cluster = PgCluster::start({});
        }
    }
    auto& schema = schemas[sqlite_path.string()];
    if (schema.empty()) {
        // A schema per store, not a database: creating one costs a catalog row, not a copy of
        // template1, and the store's tables go into it through search_path.
        schema = "t_" + std::to_string(getpid()) + "_" + std::to_string(schemas.size());
        pg::Connection admin(cluster->uri("buurtstem"));
        admin.exec("CREATE SCHEMA " + schema);
    }
    return cluster->uri("buurtstem") + "?options=-csearch_path%3D" + schema;
}

} // namespace buurtstem::test
