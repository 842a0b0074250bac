// SyncWorker: runs SyncClient::sync_all() on its own thread, every interval and whenever wake() is
// called (right after a resident finishes), so drawing never waits for the network. It never gives up:
// after a failed pass it tries again after a jittered, exponentially growing delay (capped), and a pass
// that goes through resets the delay.
//
// The worker never touches the UI. It publishes a SyncStatus snapshot under a mutex and calls
// `on_change` (from the worker thread) so the kiosk can wake its frame loop with glfwPostEmptyEvent().
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>

#include "buurtstem/sync/sync_client.hpp"

namespace buurtstem {

// How long to wait after `failures` failed passes in a row: base * 2^(failures-1), at most `cap`, then a
// random point in the upper half of that ("equal jitter"), so kiosks that lost the network together do
// not all come back in the same second.
struct Backoff {
    std::chrono::milliseconds base{2000};
    std::chrono::milliseconds cap{std::chrono::minutes(5)};

    // The un-jittered delay; `failures` >= 1.
    std::chrono::milliseconds ceiling(int failures) const;
    // A delay in [ceiling/2, ceiling], drawn with `random`.
    std::chrono::milliseconds delay(int failures, std::mt19937_64& random) const;
};

// What the kiosk may show about sync; a copy, taken under the worker's lock.
struct SyncStatus {
    bool running = false;      // a pass is under way
    sync::OutboxCounts counts; // as of the last batch or pass
    size_t sent_this_pass = 0; // responses the server took in the pass under way (or the last one)
    std::string last_result;   // the last pass in words, e.g. "120 sent" or the error
    int failures_in_a_row = 0; // failed passes since the last one that went through
    std::optional<std::chrono::system_clock::time_point> last_success;
    std::optional<SyncError> last_error;                           // cleared by a successful pass
    std::optional<std::chrono::system_clock::time_point> next_try; // when the next pass is due
};

class SyncWorker {
public:
    // `after_pass` (optional) runs on the worker thread after each successful upload pass: the hook for
    // pulling consultations (consultation_pull.hpp); it gets the worker's stop check to pass on, and
    // its error becomes the pass's error. After a Revoked error the worker stops for good: retrying
    // cannot help, and the kiosk keeps every response. `pending` is the outbox's pending count after the
    // pass (nullopt when it could not be read), for the pull to tell the server (Buurtstem-Pending).
    using AfterPass = std::function<Status<SyncError>(const std::function<bool()>& should_stop,
                                                      std::optional<int64_t> pending)>;
    SyncWorker(SyncClient client, std::chrono::seconds interval, std::function<void()> on_change,
               AfterPass after_pass = {}, Backoff backoff = {});
    // Stops the thread; waits for a pass under way to end (bounded by the client's timeouts).
    ~SyncWorker();
    SyncWorker(const SyncWorker&) = delete;
    SyncWorker& operator=(const SyncWorker&) = delete;

    // Start a pass now, unless the last pass failed: then the back-off delay stands (the network or
    // server is known to be unwell; a resident finishing does not change that).
    void wake();
    // Start a pass now, back-off or not: a volunteer tapped "Nu versturen" (perhaps after plugging the
    // network in), which is news the back-off cannot know.
    void sync_now();
    SyncStatus status() const;

private:
    void run();
    void notify();

    SyncClient client_;
    std::chrono::seconds interval_;
    std::function<void()> on_change_;
    AfterPass after_pass_;
    Backoff backoff_;
    std::mt19937_64 random_;
    mutable std::mutex mutex_; // guards status_, wake_, stop_
    std::condition_variable cv_;
    SyncStatus status_;
    bool wake_ = true;   // the first pass starts at once
    bool force_ = false; // sync_now(): this wake ignores the back-off
    bool stop_ = false;
    std::thread thread_; // started in the constructor body, after every member it uses exists
};

} // namespace buurtstem
