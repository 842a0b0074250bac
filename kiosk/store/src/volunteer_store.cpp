// The volunteer's side of ResponseStore (issue 10): events, the live panel's counts and tallies, and
// contact opt-ins. SCHEMA.md (version 3) describes the tables.
//
// [SECTION] Helpers
// [SECTION] Events
// [SECTION] Live panel
// [SECTION] Contacts
#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>

#include "buurtstem/core/clock.hpp"
#include "buurtstem/core/uuid.hpp"
#include "response_store_impl.hpp"

namespace buurtstem {

using store_detail::to_store_error;

namespace {

//-----------------------------------------------------------------------------------------------------
// [SECTION] Helpers
//-----------------------------------------------------------------------------------------------------

constexpr size_t kMaxEventFieldBytes = 120;
constexpr size_t kMaxContactFieldBytes = 200;

StoreError invalid(std::string message) {
    return {StoreError::Kind::Invalid, std::move(message)};
}

std::string trimmed(std::string_view text) {
    const size_t first = text.find_first_not_of(' ');
    if (first == std::string_view::npos) {
        return {};
    }
    const size_t last = text.find_last_not_of(' ');
    return std::string(text.substr(first, last - first + 1));
}

// The kiosk's local calendar day: what a volunteer calls "today", and all a contact keeps of its time.
std::string local_day(std::time_t at) {
    std::tm local{};
    localtime_r(&at, &local);
    char buffer[16];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &local);
    return buffer;
}

// Local midnight that began today, as the UTC text completed_at is compared with.
std::string start_of_local_day_utc(std::time_t now) {
    std::tm local{};
    localtime_r(&now, &local);
    local.tm_hour = 0;
    local.tm_min = 0;
    local.tm_sec = 0;
    local.tm_isdst = -1;
    return to_iso8601_utc(std::chrono::system_clock::from_time_t(std::mktime(&local)));
}

constexpr const char* kEventColumns =
    "e.id, e.name, e.wijk, e.municipality, e.day, e.started_at, coalesce(e.ended_at, ''),"
    " (SELECT count(*) FROM responses WHERE event_id = e.id AND channel = 'kiosk'),"
    " (SELECT count(*) FROM responses WHERE event_id = e.id AND channel = 'facilitated'),"
    " (SELECT count(*) FROM responses WHERE event_id = e.id AND channel = 'paper') FROM events e";

EventInfo read_event(const sqlite::Statement& s) {
    return EventInfo{s.column_text(0), s.column_text(1), s.column_text(2), s.column_text(3), s.column_text(4),
                     s.column_text(5), s.column_text(6), s.column_int(7),  s.column_int(8),  s.column_int(9)};
}

std::optional<EventInfo> running_event(sqlite::Database& db) {
    auto s = db.prepare(std::string("SELECT ") + kEventColumns + " WHERE e.ended_at IS NULL");
    if (s.step()) {
        return read_event(s);
    }
    return std::nullopt;
}

} // namespace

//-----------------------------------------------------------------------------------------------------
// [SECTION] Events
//-----------------------------------------------------------------------------------------------------

Result<EventInfo, StoreError> ResponseStore::start_event(std::string_view name, std::string_view wijk,
                                                         std::string_view municipality) {
    const std::string fields[] = {trimmed(name), trimmed(wijk), trimmed(municipality)};
    const char* const what[] = {"the event's name", "the wijk", "the municipality"};
    for (size_t i = 0; i < 3; ++i) {
        if (std::string problem = store_detail::typed_text_problem(what[i], fields[i], kMaxEventFieldBytes);
            !problem.empty()) {
            return fail(invalid(problem + "; no event started"));
        }
    }
    Impl& s = *impl_;
    try {
        sqlite::Transaction tx(s.db);
        if (const auto running = running_event(s.db)) {
            return fail(
                invalid("event '" + running->name + "' is still running; end it before starting another"));
        }
        const auto now = std::chrono::system_clock::now();
        EventInfo event;
        event.id = new_uuid_v4();
        event.name = fields[0];
        event.wijk = fields[1];
        event.municipality = fields[2];
        event.date = local_day(std::chrono::system_clock::to_time_t(now));
        event.started_at = to_iso8601_utc(now);
        s.db.prepare("INSERT INTO events (id, name, wijk, municipality, day, started_at)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
            .bind(1, event.id)
            .bind(2, event.name)
            .bind(3, event.wijk)
            .bind(4, event.municipality)
            .bind(5, event.date)
            .bind(6, event.started_at)
            .run();
        tx.commit();
        return event;
    } catch (const sqlite::Error& error) {
        s.recover();
        return fail(to_store_error(error));
    }
}

Result<std::optional<EventInfo>, StoreError> ResponseStore::end_event() {
    Impl& s = *impl_;
    try {
        sqlite::Transaction tx(s.db);
        auto running = running_event(s.db);
        if (running) {
            running->ended_at = now_iso8601_utc();
            s.db.prepare("UPDATE events SET ended_at = ?2 WHERE id = ?1")
                .bind(1, running->id)
                .bind(2, running->ended_at)
                .run();
        }
        tx.commit();
        return running;
    } catch (const sqlite::Error& error) {
        s.recover();
        return fail(to_store_error(error));
    }
}

Result<std::optional<EventInfo>, StoreError> ResponseStore::current_event() {
    try {
        return running_event(impl_->db);
    } catch (const sqlite::Error& error) {
        return fail(to_store_error(error));
    }
}

Result<std::vector<EventInfo>, StoreError> ResponseStore::events(size_t max_count) {
    try {
        std::vector<EventInfo> out;
        auto s = impl_->db.prepare(std::string("SELECT ") + kEventColumns +
                                   " ORDER BY e.started_at DESC, e.rowid DESC LIMIT ?1");
        s.bind(1, static_cast<int64_t>(max_count));
        while (s.step()) {
            out.push_back(read_event(s));
        }
        return out;
    } catch (const sqlite::Error& error) {
        return fail(to_store_error(error));
    }
}

//-----------------------------------------------------------------------------------------------------
// [SECTION] Live panel
//-----------------------------------------------------------------------------------------------------

Result<int64_t, StoreError> ResponseStore::count_today() {
    try {
        auto s = impl_->db.prepare("SELECT count(*) FROM responses WHERE completed_at >= ?1");
        s.bind(1, start_of_local_day_utc(std::time(nullptr)));
        s.step();
        return s.column_int(0);
    } catch (const sqlite::Error& error) {
        return fail(to_store_error(error));
    }
}

Result<int64_t, StoreError> ResponseStore::count_in_event(const std::string& event_id) {
    try {
        auto s = impl_->db.prepare("SELECT count(*) FROM responses WHERE event_id = ?1");
        s.bind(1, event_id);
        s.step();
        return s.column_int(0);
    } catch (const sqlite::Error& error) {
        return fail(to_store_error(error));
    }
}

Result<PipelineCounts, StoreError> ResponseStore::pipeline_counts() {
    try {
        auto s = impl_->db.prepare(
            "SELECT coalesce(sum(sync_state = 'pending' AND sync_error IS NULL AND sent_at IS NULL), 0),"
            " coalesce(sum(sync_state = 'pending' AND sync_error IS NULL AND sent_at IS NOT NULL), 0),"
            " coalesce(sum(sync_state = 'synced'), 0),"
            " coalesce(sum(sync_state = 'pending' AND sync_error IS NOT NULL), 0),"
            " coalesce(sum(sync_state = 'rejected'), 0) FROM responses");
        s.step();
        return PipelineCounts{s.column_int(0), s.column_int(1), s.column_int(2), s.column_int(3),
                              s.column_int(4)};
    } catch (const sqlite::Error& error) {
        return fail(to_store_error(error));
    }
}

Result<std::vector<QuestionTally>, StoreError> ResponseStore::tallies(const Consultation& consultation,
                                                                      const std::string& event_id) {
    try {
        std::map<std::string, std::vector<std::string>, std::less<>> values;
        auto s = impl_->db.prepare("SELECT answers FROM responses WHERE consultation_id = ?1"
                                   " AND (?2 = '' OR event_id = ?2)");
        s.bind(1, consultation.id).bind(2, event_id);
        while (s.step()) {
            const auto list = nlohmann::json::parse(s.column_text(0), nullptr, false);
            if (!list.is_array()) {
                continue; // read_response reports a damaged row; a tally just leaves it out
            }
            for (const auto& pair : list) {
                if (pair.is_array() && pair.size() == 2 && pair[0].is_string() && pair[1].is_string()) {
                    values[pair[0].get<std::string>()].push_back(pair[1].get<std::string>());
                }
            }
        }
        std::vector<QuestionTally> out;
        for (const Question& q : consultation.questions) {
            if (q.type == nullptr) {
                continue;
            }
            const auto found = values.find(q.id);
            out.push_back(
                {q.id, q.type->tally(q, found == values.end() ? std::vector<std::string>{} : found->second)});
        }
        return out;
    } catch (const sqlite::Error& error) {
        return fail(to_store_error(error));
    }
}

Result<uint64_t, StoreError> ResponseStore::free_disk_bytes() {
    const std::filesystem::path folder = path().has_parent_path() ? path().parent_path() : ".";
    struct statvfs info {};
    if (statvfs(folder.c_str(), &info) != 0) {
        return fail(StoreError{StoreError::Kind::Failed, "cannot read the free space of " + folder.string() +
                                                             ": " + std::strerror(errno)});
    }
    return static_cast<uint64_t>(info.f_bavail) * static_cast<uint64_t>(info.f_frsize);
}

//-----------------------------------------------------------------------------------------------------
// [SECTION] Contacts
//-----------------------------------------------------------------------------------------------------

Status<StoreError> ResponseStore::add_contact(const ContactDetails& contact) {
    const std::string name = trimmed(contact.name);
    const std::string reach = trimmed(contact.phone_or_email);
    if (std::string problem = store_detail::typed_text_problem("the name", name, kMaxContactFieldBytes);
        !problem.empty()) {
        return fail(invalid(problem + "; contact not stored"));
    }
    if (std::string problem = store_detail::typed_text_problem("the phone number or e-mail address", reach,
                                                               kMaxContactFieldBytes);
        !problem.empty()) {
        return fail(invalid(problem + "; contact not stored"));
    }
    Impl& s = *impl_;
    try {
        // A key of its own (not a UUID like response ids, so the two cannot even be mistaken for each
        // other) and only the day: SCHEMA.md "contacts".
        s.db.prepare("INSERT INTO contacts (contact_id, for_consultation, on_day, person_name, reach)"
                     " VALUES (?1, ?2, ?3, ?4, ?5)")
            .bind(1, random_hex(16))
            .bind(2, contact.consultation_id.value_or(""))
            .bind(3, local_day(std::time(nullptr)))
            .bind(4, name)
            .bind(5, reach)
            .run();
        return Unit{};
    } catch (const sqlite::Error& error) {
        s.recover();
        return fail(to_store_error(error));
    }
}

Result<ContactCounts, StoreError> ResponseStore::contact_counts() {
    try {
        auto s = impl_->db.prepare("SELECT coalesce(sum(delivered = 0), 0), coalesce(sum(delivered = 1), 0)"
                                   " FROM contacts");
        s.step();
        return ContactCounts{s.column_int(0), s.column_int(1)};
    } catch (const sqlite::Error& error) {
        return fail(to_store_error(error));
    }
}

Result<int64_t, StoreError> ResponseStore::clear_delivered_contacts() {
    try {
        // Overwritten with zeros, not only unlinked from the b-tree: a name and a phone number must not
        // linger in free pages of the file (the WAL's copy goes at its next checkpoint).
        impl_->db.exec("PRAGMA secure_delete = ON");
        auto s = impl_->db.prepare("DELETE FROM contacts WHERE delivered = 1");
        s.run();
        const int64_t deleted = impl_->db.changes();
        impl_->db.exec("PRAGMA secure_delete = OFF");
        return deleted;
    } catch (const sqlite::Error& error) {
        return fail(to_store_error(error));
    }
}

} // namespace buurtstem
