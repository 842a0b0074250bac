#include "buurtstem/sync/sync_worker.hpp"

#include <algorithm>

namespace buurtstem {

std::chrono::milliseconds Backoff::ceiling(int failures) const {
    std::chrono::milliseconds delay = base;
    for (int i = 1; i < failures && delay < cap; ++i) {
        delay *= 2;
    }
    return std::min(delay, cap);
}

std::chrono::milliseconds Backoff::delay(int failures, std::mt19937_64& random) const {
    const int64_t top = ceiling(failures).count();
    std::uniform_int_distribution<int64_t> pick(top / 2, top);
    return std::chrono::milliseconds(pick(random));
}

SyncWorker::SyncWorker(SyncClient client, std::chrono::seconds interval, std::function<void()> on_change,
                       AfterPass after_pass, Backoff backoff)
    : client_(std::move(client)), interval_(interval), on_change_(std::move(on_change)),
      after_pass_(std::move(after_pass)), backoff_(backoff), random_(std::random_device{}()) {
    // Closing the kiosk must not wait for a slow upload: the client checks this between batches and
    // during transfers.
    client_.set_cancel_check([this] {
        std::lock_guard lock(mutex_);
        return stop_;
    });
    client_.set_progress([this](const SyncReport& so_far) {
        auto counts = client_.counts();
        {
            std::lock_guard lock(mutex_);
            status_.sent_this_pass = so_far.accepted;
            if (counts) {
                status_.counts = *counts;
            }
        }
        notify();
    });
    thread_ = std::thread([this] { run(); });
}

SyncWorker::~SyncWorker() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

void SyncWorker::wake() {
    {
        std::lock_guard lock(mutex_);
        wake_ = true;
    }
    cv_.notify_all();
}

void SyncWorker::sync_now() {
    {
        std::lock_guard lock(mutex_);
        wake_ = true;
        force_ = true;
    }
    cv_.notify_all();
}

SyncStatus SyncWorker::status() const {
    std::lock_guard lock(mutex_);
    return status_;
}

void SyncWorker::notify() {
    if (on_change_) {
        on_change_();
    }
}

namespace {

std::string describe(const SyncReport& report) {
    std::string words = std::to_string(report.accepted) + " sent";
    if (report.rejected > 0) {
        words += ", " + std::to_string(report.rejected) + " refused by the server (kept)";
    }
    if (report.held > 0) {
        words += ", " + std::to_string(report.held) + " held until the server knows their consultation";
    }
    return words;
}

} // namespace

void SyncWorker::run() {
    auto next = std::chrono::steady_clock::now(); // the first pass starts at once
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            cv_.wait_until(lock, next, [this] {
                // A wake() counts only while passes go through; during back-off the delay stands.
                return stop_ || (wake_ && (status_.failures_in_a_row == 0 || force_));
            });
            if (stop_) {
                return;
            }
            wake_ = false;
            force_ = false;
            status_.running = true;
            status_.sent_this_pass = 0;
            status_.next_try.reset();
        }
        notify();

        // The network call runs without the lock, so status() never waits for it. Nothing may escape
        // this thread: an exception here would end the whole kiosk, at every start again.
        Result<SyncReport, SyncError> result = SyncReport{};
        Result<sync::OutboxCounts, sync::OutboxError> counts = sync::OutboxCounts{};
        try {
            result = client_.sync_all();
            counts = client_.counts();
            if (result && after_pass_) {
                const std::function<bool()> should_stop = [this] {
                    std::lock_guard lock(mutex_);
                    return stop_;
                };
                const std::optional<int64_t> pending =
                    counts ? std::optional<int64_t>(counts->pending) : std::nullopt;
                if (auto after = after_pass_(should_stop, pending); !after) {
                    result = fail(after.error());
                }
            }
        } catch (const std::exception& e) {
            result = fail(
                SyncError{SyncError::Kind::Protocol, std::string("sync failed unexpectedly: ") + e.what()});
        }

        {
            std::lock_guard lock(mutex_);
            status_.running = false;
            if (counts) {
                status_.counts = *counts;
            }
            std::chrono::milliseconds wait = interval_;
            if (result) {
                status_.last_success = std::chrono::system_clock::now();
                status_.last_error.reset();
                status_.failures_in_a_row = 0;
                status_.sent_this_pass = result->accepted;
                status_.last_result = describe(*result);
                if (result->held > 0 && result->accepted == 0 && result->rejected == 0) {
                    // Only held responses: nothing will change until the council adds a file. Resend
                    // them with the same patience as after a failure, not every interval.
                    wait = std::max(wait, backoff_.cap);
                }
            } else if (result.error().kind == SyncError::Kind::Cancelled) {
                status_.last_result = result.error().to_string();
                status_.last_error = result.error();
                wait = std::chrono::milliseconds(0);
            } else {
                status_.last_error = result.error();
                status_.last_result = result.error().to_string();
                ++status_.failures_in_a_row;
                wait = backoff_.delay(status_.failures_in_a_row, random_);
            }
            next = std::chrono::steady_clock::now() + wait;
            status_.next_try = std::chrono::system_clock::now() +
                               std::chrono::duration_cast<std::chrono::system_clock::duration>(wait);
        }
        notify();
        if (!result && result.error().kind == SyncError::Kind::Revoked) {
            return;
        }
    }
}

} // namespace buurtstem
