// The volunteer's side of the kiosk store (issue 10): events stamp responses, channels and notes are
// kept, counts for the live panel (sent apart from confirmed), tallies for every question type, the
// migration from schema 2, and contacts that cannot be joined to responses. Real SQLite files.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "buurtstem/consultation/consultation_loader.hpp"
#include "buurtstem/core/clock.hpp"
#include "buurtstem/core/uuid.hpp"
#include "buurtstem/store/outbox.hpp"
#include "buurtstem/store/response_store.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace buurtstem;
using buurtstem::test::TempDir;

namespace {

CompletedResponse response(std::vector<Answer> answers = {{"kent-regelingen", "een-paar"}}) {
    CompletedResponse r;
    r.id = new_uuid_v4();
    r.consultation_id = "minimaregelingen-ijmond";
    r.consultation_version = 1;
    r.device_id = "kiosk-buurthuis";
    r.language = "nl";
    r.started_at = now_iso8601_utc();
    r.completed_at = now_iso8601_utc();
    r.answers = std::move(answers);
    return r;
}

ResponseStore open_store(const fs::path& path) {
    auto store = ResponseStore::open(path);
    REQUIRE_MESSAGE(store.ok(), (store.ok() ? "" : store.error().to_string()));
    return std::move(store).value();
}

Outbox open_outbox(const fs::path& path) {
    auto outbox = Outbox::open(path);
    REQUIRE_MESSAGE(outbox.ok(), (outbox.ok() ? "" : outbox.error().to_string()));
    return std::move(outbox).value();
}

Consultation minimaregelingen() {
    auto c =
        load_consultation_file(fs::path(BUURTSTEM_SOURCE_DIR) / "config/consultations/minimaregelingen.toml");
    REQUIRE_MESSAGE(c.ok(), (c.ok() ? "" : c.error().to_string()));
    return std::move(c).value();
}

// Every row of `sql`, each as its columns' texts (NULL as "<null>").
std::vector<std::vector<std::string>> rows(const fs::path& file, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    REQUIRE_MESSAGE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK, sql);
    std::vector<std::vector<std::string>> out;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        std::vector<std::string> row;
        for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
            const unsigned char* text = sqlite3_column_text(stmt, i);
            row.push_back(text != nullptr ? reinterpret_cast<const char*>(text) : "<null>");
        }
        out.push_back(std::move(row));
    }
    sqlite3_finalize(stmt);
    sqlite3_close_v2(db);
    return out;
}

std::vector<std::string> column_names(const fs::path& file, const std::string& table) {
    std::vector<std::string> names;
    for (const auto& row : rows(file, "SELECT name FROM pragma_table_info('" + table + "')")) {
        names.push_back(row[0]);
    }
    return names;
}

} // namespace

TEST_CASE("an event stamps the responses committed while it runs, with their channel and note") {
    TempDir dir;
    ResponseStore store = open_store(dir / "kiosk.sqlite");
    const CompletedResponse before = response();
    REQUIRE(store.commit(before).ok());

    auto started = store.start_event("  Buurtmarkt Zeewijk ", "Zeewijk", "IJmuiden");
    REQUIRE_MESSAGE(started.ok(), (started.ok() ? "" : started.error().to_string()));
    CHECK(started->name == "Buurtmarkt Zeewijk"); // trimmed
    CHECK(started->running());
    CHECK(started->date.size() == 10);
    auto current = store.current_event();
    REQUIRE(current.ok());
    REQUIRE(current->has_value());
    CHECK((*current)->id == started->id);

    // A second start while one runs is refused with the running event's name.
    auto second = store.start_event("Nog een", "Zeewijk", "IJmuiden");
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().kind == StoreError::Kind::Invalid);
    CHECK(second.error().message.find("Buurtmarkt Zeewijk") != std::string::npos);

    const CompletedResponse at_kiosk = response();
    const CompletedResponse talked = response();
    const CompletedResponse paper1 = response();
    const CompletedResponse paper2 = response();
    REQUIRE(store.commit(at_kiosk).ok());
    REQUIRE(store.commit(talked, Channel::Facilitated, "met tolk").ok());
    REQUIRE(store.commit(paper1, Channel::Paper).ok());
    REQUIRE(store.commit(paper2, Channel::Paper).ok());

    auto found = store.find(talked.id);
    REQUIRE(found.ok());
    REQUIRE(found->has_value());
    CHECK((*found)->channel == Channel::Facilitated);
    CHECK((*found)->note == "met tolk");
    REQUIRE((*found)->event.has_value());
    CHECK(*(*found)->event == started->as_response_event());
    auto old = store.find(before.id);
    REQUIRE(old.ok());
    CHECK_FALSE((*old)->event.has_value());
    CHECK((*old)->channel == Channel::Kiosk);

    CHECK(store.count_in_event(started->id).value() == 4);
    CHECK(store.count_today().value() == 5);

    auto ended = store.end_event();
    REQUIRE(ended.ok());
    REQUIRE(ended->has_value());
    CHECK_FALSE((*ended)->running());
    CHECK((*ended)->kiosk == 1);
    CHECK((*ended)->facilitated == 1);
    CHECK((*ended)->paper == 2);
    CHECK_FALSE(store.current_event().value().has_value());
    CHECK_FALSE(store.end_event().value().has_value()); // nothing to end

    const CompletedResponse after = response();
    REQUIRE(store.commit(after).ok());
    CHECK_FALSE(store.find(after.id).value()->event.has_value());

    auto next = store.start_event("Inloop bibliotheek", "Centrum", "Velsen");
    REQUIRE(next.ok());
    auto list = store.events();
    REQUIRE(list.ok());
    REQUIRE(list->size() == 2);
    CHECK(list->at(0).name == "Inloop bibliotheek"); // newest first
    CHECK(list->at(0).total() == 0);
    CHECK(list->at(1).name == "Buurtmarkt Zeewijk");
    CHECK(list->at(1).total() == 4);

    // The outbox hands the event and channel to the sync client.
    Outbox outbox = open_outbox(dir / "kiosk.sqlite");
    auto batch = outbox.next_batch(10);
    REQUIRE(batch.ok());
    REQUIRE(batch->size() == 6);
    CHECK(batch->at(2).channel == Channel::Facilitated);
    REQUIRE(batch->at(2).event.has_value());
    CHECK(batch->at(2).event->wijk == "Zeewijk");
}

TEST_CASE("event fields and notes the server would refuse are refused on the kiosk, naming the field") {
    TempDir dir;
    ResponseStore store = open_store(dir / "kiosk.sqlite");
    auto empty = store.start_event("   ", "Zeewijk", "IJmuiden");
    REQUIRE_FALSE(empty.ok());
    CHECK(empty.error().message.find("the event's name is empty") != std::string::npos);
    auto control = store.start_event("Markt", "Zee\twijk", "IJmuiden");
    REQUIRE_FALSE(control.ok());
    CHECK(control.error().message.find("the wijk contains control character U+0009") != std::string::npos);
    auto long_name = store.start_event(std::string(121, 'a'), "Zeewijk", "IJmuiden");
    REQUIRE_FALSE(long_name.ok());
    CHECK(long_name.error().message.find("longer than 120 bytes") != std::string::npos);
    CHECK_FALSE(store.current_event().value().has_value());

    const CompletedResponse r = response();
    auto bad_note = store.commit(r, Channel::Facilitated, "regel 1\nregel 2");
    REQUIRE_FALSE(bad_note.ok());
    CHECK(bad_note.error().kind == StoreError::Kind::Invalid);
    CHECK_FALSE(store.find(r.id).value().has_value());
}

TEST_CASE("the pipeline counts tell stored here, sent, confirmed, held and set aside apart") {
    TempDir dir;
    const fs::path file = dir / "kiosk.sqlite";
    ResponseStore store = open_store(file);
    std::vector<CompletedResponse> all;
    for (int i = 0; i < 6; ++i) {
        all.push_back(response());
        REQUIRE(store.commit(all.back()).ok());
    }
    Outbox outbox = open_outbox(file);
    CHECK(store.pipeline_counts().value().stored_here == 6);

    // Two went out in an upload whose reply never came; one of them is confirmed by the next pass.
    REQUIRE(outbox.sending({all[0].id, all[1].id}).ok());
    auto counts = store.pipeline_counts().value();
    CHECK(counts.stored_here == 4);
    CHECK(counts.sent == 2);
    CHECK(counts.confirmed == 0);
    REQUIRE(outbox.acknowledge({all[0].id}).ok());
    REQUIRE(outbox.hold(all[2].id, "consultation unknown").ok());
    REQUIRE(outbox.refuse(all[3].id, "bad").ok());
    counts = store.pipeline_counts().value();
    CHECK(counts.stored_here == 2);
    CHECK(counts.sent == 1);
    CHECK(counts.confirmed == 1);
    CHECK(counts.held == 1);
    CHECK(counts.set_aside == 1);
    CHECK(counts.stored_here + counts.sent + counts.confirmed + counts.held + counts.set_aside == 6);

    CHECK(store.free_disk_bytes().value() > 0);
}

TEST_CASE("tallies count every question type, per event, zeros included") {
    TempDir dir;
    ResponseStore store = open_store(dir / "kiosk.sqlite");
    const Consultation c = minimaregelingen();
    REQUIRE(store.commit(response({{"kent-regelingen", "nee"}, {"ideeen", "niet in dit event"}})).ok());
    auto event = store.start_event("Markt", "Zeewijk", "IJmuiden");
    REQUIRE(event.ok());
    const std::vector<Answer> full = {{"kent-regelingen", "een-paar"},
                                      {"gebruikt", "ja"},
                                      {"welke-gebruikt", "school,zorg"},
                                      {"aanvragen-makkelijk", "4"},
                                      {"wat-houdt-tegen", "taal"},
                                      {"informatie-duidelijk", "2"},
                                      {"hoe-informeren", "buurthuis,brief"},
                                      {"hulp-bij-aanvragen", "unknown"},
                                      {"ideeen", "Meer uitleg"}};
    REQUIRE(store.commit(response(full)).ok());
    REQUIRE(store.commit(response({{"kent-regelingen", "een-paar"}, {"welke-gebruikt", "zorg"}})).ok());

    auto tallies = store.tallies(c, event->id);
    REQUIRE(tallies.ok());
    REQUIRE(tallies->size() == c.questions.size());
    const auto count = [&](const std::string& question, const std::string& key) -> int64_t {
        for (const QuestionTally& t : *tallies) {
            if (t.question_id == question) {
                for (const TallyCount& k : t.counts) {
                    if (k.key == key) {
                        return k.count;
                    }
                }
                FAIL("no key " << key << " in " << question);
            }
        }
        FAIL("no tally for " << question);
        return -1;
    };
    CHECK(count("kent-regelingen", "een-paar") == 2);
    CHECK(count("kent-regelingen", "nee") == 0); // the answer before the event is not counted
    CHECK(count("gebruikt", "ja") == 1);
    CHECK(count("welke-gebruikt", "zorg") == 2);
    CHECK(count("welke-gebruikt", "school") == 1);
    CHECK(count("welke-gebruikt", "kortingspas") == 0);
    CHECK(count("aanvragen-makkelijk", "4") == 1);
    CHECK(count("aanvragen-makkelijk", "1") == 0);
    CHECK(count("informatie-duidelijk", "2") == 1);
    CHECK(count("hoe-informeren", "buurthuis") == 1); // put first
    CHECK(count("hoe-informeren", "brief") == 0);     // ranked, but not first
    CHECK(count("hulp-bij-aanvragen", "unknown") == 1);
    CHECK(count("ideeen", "answered") == 1);
    CHECK(tallies->front().counts.size() == 3); // every option has a bar

    auto everything = store.tallies(c, "");
    REQUIRE(everything.ok());
    CHECK(everything->front().counts[2].count == 1); // "nee", from before the event
}

TEST_CASE("a schema 2 file is migrated to 3: every response kept, read as kiosk without event") {
    TempDir dir;
    const fs::path file = dir / "kiosk.sqlite";
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
        const char* v2 = R"sql(
PRAGMA journal_mode=WAL;
CREATE TABLE responses (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, consultation_id TEXT NOT NULL,
    consultation_version INTEGER NOT NULL, device_id TEXT NOT NULL, language TEXT NOT NULL,
    started_at TEXT NOT NULL, completed_at TEXT NOT NULL,
    answers TEXT NOT NULL CHECK (json_valid(answers) AND json_type(answers) = 'array'),
    sync_state TEXT NOT NULL DEFAULT 'pending'
        CHECK (sync_state = 'pending' OR sync_state = 'synced' OR sync_state = 'rejected'),
    synced_at TEXT, sync_error TEXT);
CREATE INDEX responses_pending ON responses (seq) WHERE sync_state = 'pending';
INSERT INTO responses (seq, id, consultation_id, consultation_version, device_id, language, started_at,
    completed_at, answers, sync_state, synced_at) VALUES
    (5, '6b0549a4-ed7b-4d92-a6ab-196aa5f796c9', 'minimaregelingen-ijmond', 1, 'kiosk-a', 'nl',
     '2026-11-24T10:02:11Z', '2026-11-24T10:05:40Z', '[["kent-regelingen","nee"]]', 'synced',
     '2026-11-24T11:00:00Z'),
    (6, '7b0549a4-ed7b-4d92-a6ab-196aa5f796c9', 'minimaregelingen-ijmond', 1, 'kiosk-a', 'nl',
     '2026-11-24T10:06:11Z', '2026-11-24T10:08:40Z', '[["kent-regelingen","ja-goed"]]', 'pending', NULL);
PRAGMA user_version = 2;
)sql";
        REQUIRE(sqlite3_exec(db, v2, nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
    }
    ResponseStore store = open_store(file);
    CHECK(rows(file, "PRAGMA user_version")[0][0] == "3");
    auto old = store.find("7b0549a4-ed7b-4d92-a6ab-196aa5f796c9");
    REQUIRE(old.ok());
    REQUIRE(old->has_value());
    CHECK((*old)->channel == Channel::Kiosk);
    CHECK_FALSE((*old)->event.has_value());
    CHECK((*old)->answers.at(0).value == "ja-goed");
    auto counts = store.pipeline_counts().value();
    CHECK(counts.confirmed == 1);
    CHECK(counts.stored_here == 1);
    // And the new parts work on the migrated file.
    REQUIRE(store.start_event("Markt", "Zeewijk", "IJmuiden").ok());
    REQUIRE(store.commit(response(), Channel::Paper).ok());
    CHECK(store.events().value().front().paper == 1);
    CHECK(rows(file, "SELECT seq FROM responses ORDER BY seq DESC LIMIT 1")[0][0] == "7");
    CHECK(rows(file, "PRAGMA integrity_check")[0][0] == "ok");
}

TEST_CASE("the contact table cannot be joined to the responses") {
    TempDir dir;
    const fs::path file = dir / "kiosk.sqlite";
    ResponseStore store = open_store(file);
    REQUIRE(store.start_event("Jongerenavond", "Zeewijk", "IJmuiden").ok());
    // Each resident answers and then leaves a contact, as at the end of the consultation.
    constexpr int kPeople = 24;
    std::vector<std::string> names;
    for (int i = 0; i < kPeople; ++i) {
        REQUIRE(store.commit(response()).ok());
        names.push_back("Persoon " + std::string(1, static_cast<char>('A' + i)));
        REQUIRE(store
                    .add_contact({std::string("minimaregelingen-ijmond"), names.back(),
                                  "06-1234567" + std::to_string(i % 10)})
                    .ok());
    }
    auto bad = store.add_contact({std::nullopt, "", "06-12345678"});
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message.find("the name is empty") != std::string::npos);
    CHECK(store.contact_counts().value().waiting == kPeople);

    // 1. No column name in common.
    const auto contact_columns = column_names(file, "contacts");
    const auto response_columns = column_names(file, "responses");
    REQUIRE(contact_columns.size() >= 5);
    for (const std::string& name : contact_columns) {
        CAPTURE(name);
        CHECK(std::find(response_columns.begin(), response_columns.end(), name) == response_columns.end());
    }
    // 2. No value of a contact equals an identifying value of any response or event (ids, times).
    std::set<std::string> response_values;
    for (const auto& row :
         rows(file, "SELECT id, started_at, completed_at, coalesce(event_id, ''), seq"
                    " FROM responses UNION ALL SELECT id, started_at, ended_at, name, '' FROM events")) {
        response_values.insert(row.begin(), row.end());
    }
    const auto contacts = rows(file, "SELECT * FROM contacts");
    REQUIRE(contacts.size() == kPeople);
    for (const auto& row : contacts) {
        for (const std::string& value : row) {
            CAPTURE(value);
            CHECK((value.empty() || !response_values.contains(value)));
            // 3. No time finer than a day anywhere in the row.
            const bool looks_like_time = value.find(':') != std::string::npos;
            CHECK_FALSE(looks_like_time);
        }
    }
    CHECK(rows(file, "SELECT count(*) FROM contacts WHERE length(on_day) != 10")[0][0] == "0");
    // 4. No rowid: the table has no hidden insertion counter...
    CHECK(rows(file, "SELECT count(*) FROM pragma_table_list WHERE name = 'contacts' AND wr = 1")[0][0] ==
          "1");
    // ... and its stored order is not the order the contacts came in (24! orders; the entry order
    // comes back by chance with probability 1/24!).
    std::vector<std::string> stored_order;
    for (const auto& row : rows(file, "SELECT person_name FROM contacts")) {
        stored_order.push_back(row[0]);
    }
    CHECK(stored_order != names);
    // 5. The store has no way to read them back: only counts (checked by the API above: no getter).
}
