#include "volunteer_console.hpp"

#include <ctime>
#include <iostream>

namespace buurtstem {

namespace {

PinLock open_pin(const KioskConfig& config) {
    const LockoutPolicy policy{config.pin_free_attempts, config.pin_first_lockout, std::chrono::minutes(15)};
    auto lock = PinLock::open(config.volunteer_pin_file, policy);
    if (lock) {
        if (!lock->has_pin()) {
            std::cerr << "buurtstem-kiosk: no volunteer PIN set (" << config.volunteer_pin_file.string()
                      << "); the console stays closed until one is set with --set-pin\n";
        }
        return std::move(lock).value();
    }
    // A damaged PIN file must not open the console to anyone: it stays closed, and says why in the log.
    std::cerr << "buurtstem-kiosk: the volunteer console stays closed: " << lock.error() << "\n";
    auto closed = PinLock::open(config.volunteer_pin_file.parent_path() / ".no-pin-file", policy);
    return std::move(closed).value();
}

VolunteerSettings load_settings(const KioskConfig& config) {
    VolunteerSettings defaults;
    defaults.idle_warning = config.idle_warning;
    defaults.speak_automatically = config.speak_automatically;
    auto loaded = load_volunteer_settings(config.volunteer_settings_file, defaults);
    if (!loaded) {
        std::cerr << "buurtstem-kiosk: volunteer settings not used: " << loaded.error() << "\n";
        return defaults;
    }
    return std::move(loaded).value();
}

std::string format_local(std::chrono::system_clock::time_point when, const char* format) {
    const std::time_t t = std::chrono::system_clock::to_time_t(when);
    std::tm local{};
    localtime_r(&t, &local);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, format, &local);
    return buffer;
}

} // namespace

std::string local_clock_time(std::chrono::system_clock::time_point when) {
    return format_local(when, "%H:%M");
}

std::string local_date(std::chrono::system_clock::time_point when) {
    const std::time_t t = std::chrono::system_clock::to_time_t(when);
    std::tm local{};
    localtime_r(&t, &local);
    return std::to_string(local.tm_mday) + "-" + std::to_string(local.tm_mon + 1) + "-" +
           std::to_string(local.tm_year + 1900);
}

VolunteerConsole::VolunteerConsole(const KioskConfig& config) : config_(config), pin_(open_pin(config)) {
    flow_ = std::make_unique<VolunteerFlow>(pin_, load_settings(config),
                                            VolunteerTimings{std::chrono::seconds(30), config.console_idle});
}

Status<std::string> VolunteerConsole::save(const VolunteerSettings& settings) const {
    return save_volunteer_settings(config_.volunteer_settings_file, settings);
}

bool VolunteerConsole::observe(const SyncWorker* worker, Moment now) {
    if (worker == nullptr) {
        return false;
    }
    const SyncStatus status = worker->status();
    if (was_running_ && !status.running) {
        last_sync_time_ = local_clock_time(now.wall);
    }
    was_running_ = status.running;
    const std::string signature = std::to_string(status.running) + "|" +
                                  std::to_string(status.sent_this_pass) + "|" +
                                  std::to_string(status.counts.pending) + "|" +
                                  std::to_string(status.counts.synced) + "|" + status.last_result;
    const bool changed = signature != sync_signature_;
    sync_signature_ = signature;
    return changed;
}

ui::ConsoleView VolunteerConsole::view(const Catalog& texts, const Consultation* consultation,
                                       ResponseStore* store, const SyncWorker* worker) const {
    ui::ConsoleView v;
    v.notice = notice_;
    if (consultation != nullptr) {
        v.languages = consultation->languages;
    }
    if (store != nullptr) {
        if (auto counts = store->counts()) {
            v.stored_here = counts->pending;
            v.confirmed = counts->synced;
            v.set_aside = counts->rejected;
            v.today = counts->pending + counts->synced + counts->rejected;
        }
    }
    std::error_code ec;
    const auto space = std::filesystem::space(config_.database.parent_path(), ec);
    if (!ec) {
        v.free_disk_bytes = space.available;
        v.disk_low = space.available < kLowDiskBytes;
    }
    if (worker == nullptr) {
        v.network = ui::NetworkView::NoServer;
        return v;
    }
    const SyncStatus status = worker->status();
    v.sync_running = status.running;
    v.held = status.counts.held;
    const int64_t total = static_cast<int64_t>(status.sent_this_pass) + status.counts.pending;
    v.sync_progress =
        total > 0 ? static_cast<float>(status.sent_this_pass) / static_cast<float>(total) : 0.0f;
    v.last_sync_time = last_sync_time_;
    if (status.last_error) {
        v.last_sync_words =
            texts.format("nl", "volunteer.sync_failed", {{"reason", status.last_error->to_string()}});
        v.network = status.last_error->kind == SyncError::Kind::Revoked ? ui::NetworkView::Revoked
                                                                        : ui::NetworkView::Unreachable;
    } else if (status.last_success) {
        v.last_sync_words =
            texts.format("nl", "volunteer.sync_ok", {{"count", std::to_string(status.sent_this_pass)}});
        v.network = ui::NetworkView::Reached;
    }
    return v;
}

} // namespace buurtstem
