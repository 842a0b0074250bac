#include "test_support.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace buurtstem::test {

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "buurtstem-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

namespace {

std::vector<std::string> merged_environment(const std::map<std::string, std::string>& extra) {
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string entry = *e;
        const std::string name = entry.substr(0, entry.find('='));
        if (!extra.contains(name)) {
            env.push_back(entry);
        }
    }
    for (const auto& [name, value] : extra) {
        env.push_back(name + "=" + value);
    }
    return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (std::string& s : strings) {
        out.push_back(s.data());
    }
    out.push_back(nullptr);
    return out;
}

} // namespace

Process::Process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& extra_env,
                 const std::filesystem::path& stderr_file) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
    const std::string stderr_path = stderr_file.string();
    std::vector<std::string> args = argv;
    std::vector<std::string> env = merged_environment(extra_env);
    auto c_args = c_strings(args);
    auto c_env = c_strings(env);
    // fork + exec rather than posix_spawn: the child asks the kernel to kill it when the test dies
    // (PR_SET_PDEATHSIG), so a crashed or interrupted test leaves no server, kiosk or Xvfb behind.
    // Only async-signal-safe calls between fork and exec; everything is prepared above.
    const pid_t parent = getpid();
    pid_ = fork();
    if (pid_ < 0) {
        const int error = errno;
        close(fds[0]);
        close(fds[1]);
        throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(error));
    }
    if (pid_ == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) { // the test died before prctl took effect
            _exit(127);
        }
        dup2(fds[1], STDOUT_FILENO);
        if (!stderr_path.empty()) {
            const int err = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
            if (err >= 0) {
                dup2(err, STDERR_FILENO);
            }
        }
        execve(c_args[0], c_args.data(), c_env.data());
        _exit(127);
    }
    close(fds[1]);
    stdout_fd_ = fds[0];
}

Process::~Process() {
    if (!status_) {
        if (!terminate(std::chrono::seconds(5))) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
    }
    if (stdout_fd_ >= 0) {
        close(stdout_fd_);
    }
}

std::optional<std::string> Process::wait_for_line(const std::string& needle,
                                                  std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    size_t& scanned = lines_seen_; // each line is matched at most once, so a second wait waits anew
    for (;;) {
        for (size_t end = output_.find('\n', scanned); end != std::string::npos;
             end = output_.find('\n', scanned)) {
            std::string line = output_.substr(scanned, end - scanned);
            scanned = end + 1;
            if (line.find(needle) != std::string::npos) {
                return line;
            }
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            return std::nullopt;
        }
        pollfd p{stdout_fd_, POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(left.count())) <= 0) {
            continue;
        }
        char buffer[4096];
        const ssize_t n = read(stdout_fd_, buffer, sizeof buffer);
        if (n <= 0) {
            return std::nullopt; // the process closed stdout (it ended)
        }
        output_.append(buffer, static_cast<size_t>(n));
    }
}

std::optional<int> Process::wait(std::chrono::milliseconds timeout) {
    if (status_) {
        return status_;
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int status = 0;
        const pid_t done = waitpid(pid_, &status, WNOHANG);
        if (done == pid_) {
            status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            return status_;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return std::nullopt;
        }
        // waitpid has no timeout; drain stdout meanwhile so a chatty child never blocks on a full pipe.
        pollfd p{stdout_fd_, POLLIN, 0};
        if (poll(&p, 1, 20) > 0) {
            char buffer[4096];
            const ssize_t n = read(stdout_fd_, buffer, sizeof buffer);
            if (n > 0) {
                output_.append(buffer, static_cast<size_t>(n));
            }
        }
    }
}

std::optional<int> Process::terminate(std::chrono::milliseconds timeout) {
    if (!status_) {
        kill(pid_, SIGTERM);
    }
    return wait(timeout);
}

CommandResult run_command(const std::vector<std::string>& argv) {
    std::string command;
    for (const std::string& a : argv) {
        command += "'";
        for (char c : a) {
            command += c == '\'' ? std::string("'\\''") : std::string(1, c);
        }
        command += "' ";
    }
    command += "2>&1";
    CommandResult result;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) {
        return result;
    }
    char buffer[4096];
    size_t n = 0;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) {
        result.output.append(buffer, n);
    }
    const int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

TestPki make_test_pki(const std::filesystem::path& folder) {
    TestPki pki{folder / "ca.pem", folder / "server.pem", folder / "server-key.pem"};
    const std::string ca_key = (folder / "ca-key.pem").string();
    const std::string csr = (folder / "server.csr").string();
    const std::string ext = (folder / "server.ext").string();
    std::ofstream(ext) << "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
                          "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n";
    const std::vector<std::vector<std::string>> steps = {
        {"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", ca_key, "-out", pki.ca_cert.string(), "-days", "2", "-subj", "/CN=Buurtstem test CA"},
        {"openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
         pki.server_key.string(), "-out", csr, "-subj", "/CN=127.0.0.1"},
        {"openssl", "x509", "-req", "-in", csr, "-CA", pki.ca_cert.string(), "-CAkey", ca_key,
         "-CAcreateserial", "-out", pki.server_cert.string(), "-days", "2", "-extfile", ext},
    };
    for (const auto& step : steps) {
        const CommandResult r = run_command(step);
        if (r.exit_code != 0) {
            throw std::runtime_error("openssl failed: " + r.output);
        }
    }
    return pki;
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

int free_loopback_port() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        throw std::runtime_error("socket failed");
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t size = sizeof address;
    if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
        close(fd);
        throw std::runtime_error("cannot find a free port");
    }
    close(fd);
    return ntohs(address.sin_port);
}

} // namespace buurtstem::test
