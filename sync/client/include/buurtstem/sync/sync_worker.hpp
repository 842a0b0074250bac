// SyncWorker: runs SyncClient::sync_all() on its own thread, every interval and whenever wake() is
// called (right after a resident finishes), so drawing never waits for the network.
//
// The worker never touches the UI. It publishes a SyncStatus snapshot under a mutex and calls
// `on_change` (from the worker thread) so the kiosk can wake its frame loop with glfwPostEmptyEvent().
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "buurtstem/sync/sync_client.hpp"

namespace buurtstem {

struct SyncStatus {
    bool running = false; // a pass is under way
    SyncCounts counts;    // as of the last pass
    std::optional<std::chrono::system_clock::time_point> last_success;
    std::optional<SyncError> last_error; // cleared by a successful pass
};

class SyncWorker {
public:
    // `after_pass` (optional) runs on the worker thread after each successful upload pass: the hook for
    // pulling consultations (consultation_pull.hpp); it gets the worker's stop check to pass on, and
    // its error becomes the pass's error. After a Revoked error the worker stops for good: retrying
    // cannot help, and the kiosk keeps every response.
    using AfterPass = std::function<Status<SyncError>(const std::function<bool()>& should_stop)>;
    SyncWorker(SyncClient client, std::chrono::seconds interval, std::function<void()> on_change,
               AfterPass after_pass = {});
    // Stops the thread; waits for a pass under way to end (bounded by the client's timeouts).
    ~SyncWorker();
    SyncWorker(const SyncWorker&) = delete;
    SyncWorker& operator=(const SyncWorker&) = delete;

    void wake();
    SyncStatus status() const;

private:
    void run();

    SyncClient client_;
    std::chrono::seconds interval_;
    std::function<void()> on_change_;
    AfterPass after_pass_;
    mutable std::mutex mutex_; // guards status_, wake_, stop_
    std::condition_variable cv_;
    SyncStatus status_;
    bool wake_ = true; // the first pass starts at once
    bool stop_ = false;
    std::thread thread_; // started in the constructor body, after every member it uses exists
};

} // namespace buurtstem
