#include "volunteer_console.hpp"

#include <algorithm>
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

ui::ConsoleEvent console_event(const EventInfo& e) {
    // "2026-12-01" as the volunteer writes it: "1-12-2026".
    std::string date = e.date;
    if (date.size() == 10) {
        date = std::to_string(std::stoi(date.substr(8, 2))) + "-" +
               std::to_string(std::stoi(date.substr(5, 2))) + "-" + date.substr(0, 4);
    }
    return {e.name, e.wijk, e.municipality, date, e.kiosk, e.facilitated, e.paper};
}

// A bar's words: the option's label, the scale's words, "Ingevuld" for typed text. Language-free keys
// come from the question type (QuestionType::tally); in the console's language `lang`.
std::string bar_label(const Catalog& texts, const Question& q, const std::string& key,
                      const std::string& lang) {
    const std::string type = std::string(q.type_name());
    for (const Option& option : q.options) {
        if (option.id == key) {
            const std::string label = option.label.in(lang);
            return type == "ranking" ? texts.format(lang, "volunteer.first_choice", {{"label", label}})
                                     : label;
        }
    }
    if (type == "smiley_scale") {
        auto own = q.scale_labels.find(lang);
        if (own == q.scale_labels.end()) {
            own = q.scale_labels.find("nl");
        }
        const int point = key.size() == 1 ? key[0] - '0' : 0;
        if (own != q.scale_labels.end() && point >= 1 && point <= static_cast<int>(own->second.size())) {
            return own->second[static_cast<size_t>(point - 1)];
        }
        return texts.text(lang, "smiley." + key);
    }
    if (type == "agree_scale") {
        return texts.text(lang, "agree." + key);
    }
    if (type == "yes_no") {
        return texts.text(lang, "yesno." + key);
    }
    if (key == "answered") {
        return texts.text(lang, "volunteer.answered");
    }
    return key;
}

// Everything the store knows for the console: the event, counts, the way to the council, tallies.
void read_store(const Catalog& texts, const Consultation* consultation, ResponseStore& store,
                const std::string& lang, ui::ConsoleView& v) {
    std::string event_id;
    if (auto current = store.current_event(); current && current->has_value()) {
        v.current = console_event(**current);
        event_id = (*current)->id;
        if (auto n = store.count_in_event(event_id)) {
            v.in_event = *n;
        }
    }
    if (auto events = store.events(50)) {
        for (const EventInfo& e : *events) {
            if (!e.running()) {
                v.past.push_back(console_event(e));
            }
        }
    }
    if (auto today = store.count_today()) {
        v.today = *today;
    }
    if (auto contacts = store.contact_counts()) {
        v.contacts_waiting = contacts->waiting;
        v.contacts_sent = contacts->sent;
    }
    if (auto pipeline = store.pipeline_counts()) {
        v.stored_here = pipeline->stored_here;
        v.sent = pipeline->sent;
        v.confirmed = pipeline->confirmed;
        v.held = pipeline->held;
        v.set_aside = pipeline->set_aside;
    }
    if (consultation == nullptr) {
        return;
    }
    // The event's answers while one runs; otherwise every answer this kiosk holds for the consultation.
    if (auto tallies = store.tallies(*consultation, event_id)) {
        for (const QuestionTally& tally : *tallies) {
            const auto q =
                std::find_if(consultation->questions.begin(), consultation->questions.end(),
                             [&](const Question& question) { return question.id == tally.question_id; });
            if (q == consultation->questions.end()) {
                continue;
            }
            ui::QuestionTally shown{tally.question_id, q->text.in(lang), {}};
            for (const TallyCount& count : tally.counts) {
                shown.bars.push_back({bar_label(texts, *q, count.key, lang), count.count});
            }
            v.tallies.push_back(std::move(shown));
        }
    }
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

std::string VolunteerConsole::language() const {
    const std::string& chosen = flow_->settings().console_language;
    return chosen.empty() ? std::string("nl") : chosen;
}

void VolunteerConsole::rescan(const std::vector<std::string>& known_languages) {
    shelf_ = scan_consultation_shelf(config_, known_languages);
}

ui::ConsoleView VolunteerConsole::view(const Catalog& texts, const Consultation* consultation,
                                       ResponseStore* store, const SyncWorker* worker) const {
    const std::string lang = language();
    ui::ConsoleView v;
    v.notice = notice_;
    if (consultation != nullptr) {
        v.languages = consultation->languages;
    }
    v.console_languages = texts.languages();
    for (const ShelfEntry& entry : shelf_.usable) {
        const Consultation& c = entry.consultation;
        const std::string& title = c.title.in(lang, c.default_language());
        v.consultations.push_back({c.id, title, static_cast<int>(c.questions.size()), c.quick,
                                   consultation != nullptr && consultation->id == c.id});
    }
    for (const ConsultationError& problem : shelf_.broken) {
        v.broken_consultations.push_back(problem.to_string());
    }
    if (store != nullptr) {
        read_store(texts, consultation, *store, lang, v);
        if (auto free = store->free_disk_bytes()) {
            v.free_disk_bytes = *free;
            v.disk_low = *free < kLowDiskBytes;
        }
    }
    if (worker == nullptr) {
        v.network = ui::NetworkView::NoServer;
        return v;
    }
    const SyncStatus status = worker->status();
    v.sync_running = status.running;
    const int64_t total = static_cast<int64_t>(status.sent_this_pass) + status.counts.pending;
    v.sync_progress =
        total > 0 ? static_cast<float>(status.sent_this_pass) / static_cast<float>(total) : 0.0f;
    v.last_sync_time = last_sync_time_;
    if (status.last_error) {
        v.last_sync_words =
            texts.format(lang, "volunteer.sync_failed", {{"reason", status.last_error->to_string()}});
        v.network = status.last_error->kind == SyncError::Kind::Revoked ? ui::NetworkView::Revoked
                                                                        : ui::NetworkView::Unreachable;
    } else if (status.last_success) {
        v.last_sync_words =
            texts.format(lang, "volunteer.sync_ok", {{"count", std::to_string(status.sent_this_pass)}});
        v.network = ui::NetworkView::Reached;
    }
    return v;
}

} // namespace buurtstem
