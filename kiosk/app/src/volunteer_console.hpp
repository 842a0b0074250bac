// The kiosk program's side of the volunteer console: owns the PIN lock, the settings file and the
// VolunteerFlow; gathers the ConsoleView from the store and the sync worker; remembers how the last sync
// pass ended. main.cpp carries out the flow's commands (they touch the resident flow and the window).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "buurtstem/app/consultation_shelf.hpp"
#include "buurtstem/app/kiosk_config.hpp"
#include "buurtstem/consultation/consultation.hpp"
#include "buurtstem/i18n/catalog.hpp"
#include "buurtstem/store/response_store.hpp"
#include "buurtstem/sync/sync_worker.hpp"
#include "buurtstem/ui/volunteer_ui.hpp"
#include "buurtstem/volunteer/pin_lock.hpp"
#include "buurtstem/volunteer/volunteer_flow.hpp"

namespace buurtstem {

// Below this much free space the live panel warns: ~1 KiB a response, so still room for many events,
// but time to act before SQLite cannot write at all.
inline constexpr uint64_t kLowDiskBytes = 256ULL * 1024 * 1024;

class VolunteerConsole {
public:
    explicit VolunteerConsole(const KioskConfig& config);

    VolunteerFlow& flow() { return *flow_; }
    const VolunteerFlow& flow() const { return *flow_; }
    const VolunteerSettings& settings() const { return flow_->settings(); }
    // Writes the settings file; the error names it.
    Status<std::string> save(const VolunteerSettings& settings) const;

    // Called every loop turn: notices the end of a sync pass (its time and result, for the live panel).
    // Returns true when something the console shows changed.
    bool observe(const SyncWorker* worker, Moment now);
    // The view for a volunteer frame.
    ui::ConsoleView view(const Catalog& texts, const Consultation* consultation, ResponseStore* store,
                         const SyncWorker* worker) const;
    // A line for the home screen after an action (an export, an event started).
    void set_notice(std::string notice) { notice_ = std::move(notice); }
    // The language the console speaks: the volunteer's choice, else Dutch.
    std::string language() const;
    // Looks again at the consultations the kiosk holds (the list opened, or a switch is confirmed).
    void rescan(const std::vector<std::string>& known_languages);
    const ConsultationShelf& shelf() const { return shelf_; }

private:
    KioskConfig config_;
    PinLock pin_;
    std::unique_ptr<VolunteerFlow> flow_;
    bool was_running_ = false;
    std::string last_sync_time_;
    std::string sync_signature_;
    std::string notice_;
    ConsultationShelf shelf_;
};

// "14:05" in the kiosk's local time.
std::string local_clock_time(std::chrono::system_clock::time_point when);
// "1-12-2026" in the kiosk's local time.
std::string local_date(std::chrono::system_clock::time_point when);

} // namespace buurtstem
