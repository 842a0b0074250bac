// A throw-away PostgreSQL cluster for the tests and the bench: Debian's own binaries
// (/usr/lib/postgresql/<version>/bin), a data folder under the system temp dir, TCP on 127.0.0.1 at a
// free port and the Unix socket in that folder. PostgreSQL refuses to run as root, so under root it runs
// as the `postgres` user (or `nobody`), which owns the folder.
//
// It dies with whoever it belongs to. A watchdog process (a child of nobody, in its own session) starts
// postgres with PR_SET_PDEATHSIG, so postgres ends when the watchdog does; the watchdog itself waits on
// a pidfd of the owner (the test process, or ctest when the cluster is a ctest fixture) and, when the
// owner is gone - finished, interrupted or killed - stops postgres at once and removes the folder.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <sys/types.h>

namespace buurtstem::test {

struct PgClusterSettings {
    // fsync=off, synchronous_commit=off: for tests, where speed matters and a power cut does not.
    // The bench runs durable, the way a council would, so that its figures mean something.
    bool durable = false;
    // The process whose end ends the cluster.
    pid_t owner = 0;
};

class PgCluster {
public:
    // Starts a cluster and waits until it accepts connections. Throws std::runtime_error with
    // initdb's or postgres's own words when it cannot.
    static PgCluster start(const PgClusterSettings& settings);
    // The cluster another process started and described in `state_file` (see save()).
    static std::optional<PgCluster> attach(const std::filesystem::path& state_file);

    // Writes what attach() needs (address, watchdog pid, folder) to `state_file`.
    void save(const std::filesystem::path& state_file) const;
    // Stops postgres and removes its folder; returns once the watchdog is gone.
    void stop() const;

    // postgresql://buurtstem@127.0.0.1:PORT/DATABASE (the superuser; trust on loopback only).
    std::string uri(const std::string& database) const;
    int port() const { return port_; }
    pid_t watchdog() const { return watchdog_; }
    const std::filesystem::path& folder() const { return folder_; }

private:
    int port_ = 0;
    pid_t watchdog_ = -1;
    std::filesystem::path folder_;
};

// pidfd_open(2) (glibc 2.36's <sys/pidfd.h> lacks C linkage, so through syscall()): a descriptor that
// polls readable when `pid` ends, whoever its parent is. -1 when it is already gone.
int open_pidfd(pid_t pid);

// Stops the cluster a previous, interrupted run recorded in `state_file`, if it still runs, and removes
// its folder: no test run starts beside a stray postmaster of an earlier one.
void stop_stale_cluster(const std::filesystem::path& state_file);

// The store the tests run against: BUURTSTEM_TEST_STORE=postgresql selects PostgreSQL, anything else
// (or nothing) SQLite.
bool testing_postgresql();

// What `--db` / open_server_store() should get for the store a test would keep at `sqlite_path`: that
// path under SQLite; under PostgreSQL a database of its own, created empty on first request and the same
// one for the same path later in this process (a test that "restarts" the server gets its data back).
// The cluster is the ctest fixture's (pg.cluster.start, state file BUURTSTEM_PG_STATE_FILE) or, when the
// test binary runs alone, one started for this process.
std::string test_store_address(const std::filesystem::path& sqlite_path);

} // namespace buurtstem::test
