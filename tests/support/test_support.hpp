// Helpers shared by Buurtstem's tests: scratch folders, child processes, a throw-away TLS CA.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace buurtstem::test {

// A fresh folder under the system temp dir, removed (with everything in it) when the object dies.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

// A child process with its stdout on a pipe. The destructor sends SIGTERM, waits briefly, then SIGKILL,
// so a failing test never leaves a server or window behind. Its stderr goes where the test's goes, or,
// when `stderr_file` is given, to that file (created or truncated), so a test can read a server's log.
class Process {
public:
    Process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& extra_env = {},
            const std::filesystem::path& stderr_file = {});
    ~Process();
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    pid_t pid() const { return pid_; }
    // Reads stdout until a line not returned before contains `needle`, or the timeout passes; returns
    // that line. Lines read past are not looked at again.
    std::optional<std::string> wait_for_line(const std::string& needle, std::chrono::milliseconds timeout);
    // Sends SIGTERM and waits for the exit status (nullopt on timeout).
    std::optional<int> terminate(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    // Waits for the process to end by itself.
    std::optional<int> wait(std::chrono::milliseconds timeout);
    // Everything read from stdout so far.
    const std::string& output() const { return output_; }

private:
    pid_t pid_ = -1;
    int stdout_fd_ = -1;
    std::string output_;
    size_t lines_seen_ = 0; // offset in output_ up to which wait_for_line has looked
    std::optional<int> status_;
};

// Runs a command to completion; returns its exit code and stdout+stderr.
struct CommandResult {
    int exit_code = -1;
    std::string output;
};
CommandResult run_command(const std::vector<std::string>& argv);

// A test certificate authority and a server certificate for 127.0.0.1 / localhost it signed, made with
// the openssl command in `folder`. Nothing outside the test trusts it.
struct TestPki {
    std::filesystem::path ca_cert;
    std::filesystem::path server_cert;
    std::filesystem::path server_key;
};
TestPki make_test_pki(const std::filesystem::path& folder);

// Polls `condition` every few milliseconds until it is true or the timeout passes. For conditions that
// no file descriptor can signal (a row appearing in another process's database).
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

std::string read_file(const std::filesystem::path& path);

// A TCP port on 127.0.0.1 that was free a moment ago, for a server that must be started later on a
// port known in advance (a kiosk configured while "offline").
int free_loopback_port();

} // namespace buurtstem::test
