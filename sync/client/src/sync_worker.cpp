#include "buurtstem/sync/sync_worker.hpp"

namespace buurtstem {

SyncWorker::SyncWorker(SyncClient client, std::chrono::seconds interval, std::function<void()> on_change,
                       AfterPass after_pass)
    : client_(std::move(client)), interval_(interval), on_change_(std::move(on_change)),
      after_pass_(std::move(after_pass)) {
    // Closing the kiosk must not wait for a slow upload: the client checks this between batches and
    // during transfers.
    client_.set_cancel_check([this] {
        std::lock_guard lock(mutex_);
        return stop_;
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

SyncStatus SyncWorker::status() const {
    std::lock_guard lock(mutex_);
    return status_;
}

void SyncWorker::run() {
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            cv_.wait_for(lock, interval_, [this] { return wake_ || stop_; });
            if (stop_) {
                return;
            }
            wake_ = false;
            status_.running = true;
        }
        if (on_change_) {
            on_change_();
        }

        // The network call runs without the lock, so status() never waits for it. Nothing may escape
        // this thread: an exception here would end the whole kiosk, at every start again.
        Result<SyncReport, SyncError> result = SyncReport{};
        Result<SyncCounts, StoreError> counts = SyncCounts{};
        try {
            result = client_.sync_all();
            counts = client_.counts();
            if (result && after_pass_) {
                const std::function<bool()> should_stop = [this] {
                    std::lock_guard lock(mutex_);
                    return stop_;
                };
                if (auto after = after_pass_(should_stop); !after) {
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
            if (result) {
                status_.last_success = std::chrono::system_clock::now();
                status_.last_error.reset();
            } else {
                status_.last_error = result.error();
            }
        }
        if (on_change_) {
            on_change_();
        }
        if (!result && result.error().kind == SyncError::Kind::Revoked) {
            return;
        }
    }
}

} // namespace buurtstem
