// Issue 10's data path against the real server binary: events and channels travel with the responses
// into the export and `buurtstem-server events`; a USB bundle signed by the kiosk imports exactly once
// and a tampered one is refused with the reason; contact opt-ins arrive on their own route and export.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "buurtstem/protocol/protocol.hpp"
#include "buurtstem/protocol/usb_bundle.hpp"
#include "buurtstem/store/bundle_export.hpp"
#include "buurtstem/store/outbox.hpp"
#include "buurtstem/store/response_store.hpp"
#include "server_fixture.hpp"

using namespace buurtstem;
using namespace buurtstem::test;

namespace {

ResponseStore open_kiosk(const std::filesystem::path& path) {
    auto store = ResponseStore::open(path);
    REQUIRE_MESSAGE(store.ok(), (store.ok() ? "" : store.error().to_string()));
    return std::move(store).value();
}

void write_text(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    REQUIRE(out.good());
}

CommandResult server_command(const ServerFixture& f, std::vector<std::string> words) {
    words.insert(words.begin(), server_binary().string());
    words.push_back("--db");
    words.push_back(f.server_db.string());
    return run_command(words);
}

CommandResult import(const ServerFixture& f, const std::filesystem::path& bundle) {
    return server_command(
        f, {"import", bundle.string(), "--consultations", demo_consultations_folder().string()});
}

} // namespace

TEST_CASE_FIXTURE(ServerFixture, "events and channels reach the export and the per-event counts" *
                                     doctest::test_suite("server-store")) {
    const auto kiosk = path("kiosk.db");
    {
        ResponseStore store = open_kiosk(kiosk);
        const auto responses = demo_responses(7, device_id);
        REQUIRE(store.commit(responses[0]).ok()); // before any event
        auto event = store.start_event("Buurtmarkt Zeewijk", "Zeewijk", "IJmuiden");
        REQUIRE(event.ok());
        REQUIRE(store.commit(responses[1]).ok());
        REQUIRE(store.commit(responses[2]).ok());
        REQUIRE(store.commit(responses[3], Channel::Facilitated, "samen met tolk ingevuld").ok());
        REQUIRE(store.commit(responses[4], Channel::Paper).ok());
        REQUIRE(store.commit(responses[5], Channel::Paper).ok());
        REQUIRE(store.commit(responses[6], Channel::Paper).ok());
        REQUIRE(store.end_event().ok());
    }
    SyncClient client = make_client(sync_settings(), kiosk);
    auto report = client.sync_all();
    REQUIRE_MESSAGE(report.ok(), report.error().message);
    CHECK(report->accepted == 7);
    {
        ResponseStore store = open_kiosk(kiosk);
        CHECK(store.pipeline_counts().value().confirmed == 7);
    }

    const CommandResult events = server_command(*this, {"events"});
    INFO("events said: " << events.output);
    REQUIRE(events.exit_code == 0);
    CHECK(events.output.find("date\tevent\twijk\tmunicipality\tdevice\tkiosk\tconversation\tpaper") !=
          std::string::npos);
    CHECK(events.output.find("\tBuurtmarkt Zeewijk\tZeewijk\tIJmuiden\t" + device_id + "\t2\t1\t3\n") !=
          std::string::npos);

    const CommandResult csv =
        server_command(*this, {"export", "--consultation", kDemoConsultation, "--consultations",
                               demo_consultations_folder().string()});
    REQUIRE(csv.exit_code == 0);
    CHECK(csv.output.find(";channel;event;event_date;wijk;municipality;note\r\n") != std::string::npos);
    CHECK(csv.output.find(";facilitated;Buurtmarkt Zeewijk;") != std::string::npos);
    CHECK(csv.output.find(";Zeewijk;IJmuiden;samen met tolk ingevuld\r\n") != std::string::npos);
    CHECK(csv.output.find(";kiosk;;;;;\r\n") != std::string::npos); // the one from before the event
}

TEST_CASE_FIXTURE(ServerFixture,
                  "a USB bundle imports exactly once, and a tampered one is refused with the reason" *
                      doctest::test_suite("server-store")) {
    constexpr size_t kResponses = 30;
    const auto kiosk = path("kiosk.db");
    const auto responses = demo_responses(kResponses, device_id);
    commit_to_kiosk(kiosk, responses);
    const auto key_file = path("kiosk.key");
    const auto bundle = path("stick/bundle.buurtstem");
    std::filesystem::create_directories(bundle.parent_path());

    auto exported = export_pending_bundle({kiosk, key_file, device_id, bundle});
    REQUIRE_MESSAGE(exported.ok(), (exported.ok() ? "" : exported.error()));
    CHECK(exported->responses == kResponses);
    CHECK((std::filesystem::status(key_file).permissions() & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    {
        ResponseStore store = open_kiosk(kiosk);
        const PipelineCounts counts = store.pipeline_counts().value();
        CHECK(counts.sent == kResponses); // on its way, not confirmed
        CHECK(counts.confirmed == 0);
    }
    const std::string bytes = read_file(bundle);

    // Without a registered key the server cannot check it, and says how to register one.
    const CommandResult unkeyed = import(*this, bundle);
    CHECK(unkeyed.exit_code == 1);
    CHECK(unkeyed.output.find("has no bundle key registered") != std::string::npos);
    CHECK(server_count() == 0);

    auto key = usb_bundle::load_or_create_device_key(key_file);
    REQUIRE(key.ok());
    const CommandResult registered =
        server_command(*this, {"device-key", "--device", device_id, "--key", key->public_key_hex});
    INFO("device-key said: " << registered.output);
    REQUIRE(registered.exit_code == 0);

    const CommandResult first = import(*this, bundle);
    INFO("import said: " << first.output);
    REQUIRE(first.exit_code == 0);
    CHECK(first.output.find("30 responses, 30 stored now, 0 already stored") != std::string::npos);
    CHECK(server_count() == kResponses);

    const CommandResult again = import(*this, bundle);
    REQUIRE(again.exit_code == 0);
    CHECK(again.output.find("30 responses, 0 stored now, 30 already stored") != std::string::npos);
    CHECK(server_count() == kResponses);

    SUBCASE("one byte changed") {
        std::string changed = bytes;
        const size_t at = changed.find("Eén formulier");
        REQUIRE(at != std::string::npos);
        changed[at] = 'F';
        write_text(path("changed.buurtstem"), changed);
        const CommandResult r = import(*this, path("changed.buurtstem"));
        CHECK(r.exit_code == 1);
        CHECK(r.output.find("signature does not match the key registered for device '" + device_id + "'") !=
              std::string::npos);
    }
    SUBCASE("a response added") {
        std::string added = bytes;
        const auto extra = demo_responses(1, device_id);
        const size_t end = added.rfind("\n]}");
        REQUIRE(end != std::string::npos);
        added.insert(end, ",\n" + protocol::encode_response(extra[0]).dump());
        write_text(path("added.buurtstem"), added);
        const CommandResult r = import(*this, path("added.buurtstem"));
        CHECK(r.exit_code == 1);
        CHECK(r.output.find("signature does not match") != std::string::npos);
    }
    SUBCASE("signed by another key") {
        const usb_bundle::DeviceKeyPair other = usb_bundle::generate_device_key();
        usb_bundle::Contents contents{device_id, "2026-11-24T10:00:00Z", demo_responses(3, device_id)};
        auto forged = usb_bundle::sign_bundle(contents, other.secret_key_hex);
        REQUIRE(forged.ok());
        write_text(path("forged.buurtstem"), *forged);
        const CommandResult r = import(*this, path("forged.buurtstem"));
        CHECK(r.exit_code == 1);
        CHECK(r.output.find("another key signed it") != std::string::npos);
    }
    SUBCASE("not a bundle") {
        write_text(path("other.txt"), "hello\n");
        const CommandResult r = import(*this, path("other.txt"));
        CHECK(r.exit_code == 1);
        CHECK(r.output.find("not a Buurtstem USB bundle") != std::string::npos);
    }
    CHECK(server_count() == kResponses); // nothing refused was stored

    // The network comes back: the normal sync of the same responses adds nothing, and confirms them.
    SyncClient client = make_client(sync_settings(), kiosk);
    auto report = client.sync_all();
    REQUIRE_MESSAGE(report.ok(), report.error().message);
    CHECK(report->accepted == kResponses);
    CHECK(server_count() == kResponses);
    CHECK(kiosk_counts(kiosk).synced == kResponses);
}

TEST_CASE_FIXTURE(ServerFixture, "contacts travel on their own route and export apart from the responses" *
                                     doctest::test_suite("server-store")) {
    const auto kiosk = path("kiosk.db");
    {
        ResponseStore store = open_kiosk(kiosk);
        const auto responses = demo_responses(3, device_id);
        for (int i = 0; i < 3; ++i) {
            REQUIRE(store.commit(responses[static_cast<size_t>(i)]).ok());
            REQUIRE(store
                        .add_contact({std::string(kDemoConsultation), "Jongere " + std::to_string(i),
                                      "06-1000000" + std::to_string(i)})
                        .ok());
        }
        CHECK(store.contact_counts().value().waiting == 3);
    }
    SyncClient client = make_client(sync_settings(), kiosk);
    auto report = client.sync_all();
    REQUIRE_MESSAGE(report.ok(), report.error().message);
    CHECK(report->accepted == 3);
    CHECK(report->contacts == 3);
    {
        ResponseStore store = open_kiosk(kiosk);
        CHECK(store.contact_counts().value().sent == 3);
        CHECK(store.contact_counts().value().waiting == 0);
    }
    // A second pass sends nothing again.
    auto second = client.sync_all();
    REQUIRE(second.ok());
    CHECK(second->contacts == 0);

    const CommandResult contacts = server_command(*this, {"export-contacts"});
    INFO("export-contacts said: " << contacts.output);
    REQUIRE(contacts.exit_code == 0);
    CHECK(contacts.output.find("consultation;day;name;phone_or_email\r\n") != std::string::npos);
    CHECK(contacts.output.find(std::string(kDemoConsultation) + ";") != std::string::npos);
    CHECK(contacts.output.find(";Jongere 1;06-10000001\r\n") != std::string::npos);
    // The response export knows nothing of them.
    const CommandResult csv =
        server_command(*this, {"export", "--consultation", kDemoConsultation, "--consultations",
                               demo_consultations_folder().string()});
    REQUIRE(csv.exit_code == 0);
    CHECK(csv.output.find("Jongere") == std::string::npos);
    CHECK(server_log().find("06-1000000") == std::string::npos); // never in the log either
}
