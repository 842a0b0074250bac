// Issue 10, second part, against the real server binary: a USB bundle behaves like an upload (one bad
// response is set aside with its JSON path, the rest stored exactly once; a bad signature still refuses
// the whole file), contacts travel in the bundle apart from the responses and are stored once, and the
// volunteer's "sent" count does not keep responses whose upload never got an answer.
#include <doctest/doctest.h>

#include <fstream>

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

void register_key(const ServerFixture& f, const usb_bundle::DeviceKeyPair& key) {
    const CommandResult r =
        server_command(f, {"device-key", "--device", f.device_id, "--key", key.public_key_hex});
    REQUIRE_MESSAGE(r.exit_code == 0, r.output);
}

size_t occurrences(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
        ++n;
    }
    return n;
}

} // namespace

TEST_CASE_FIXTURE(ServerFixture,
                  "a bundle with a bad response stores the others once and names the bad one's "
                  "JSON path" *
                      doctest::test_suite("server-store")) {
    const usb_bundle::DeviceKeyPair key = usb_bundle::generate_device_key();
    register_key(*this, key);
    auto responses = demo_responses(4, device_id);
    // Signed by the kiosk, yet not what an upload may carry: a control character in an answer.
    responses[1].answers[0].value = "ja\x01";
    const std::string bad_id = responses[1].id;
    auto bytes = usb_bundle::sign_bundle({device_id, "2026-11-24T10:00:00Z", responses}, key.secret_key_hex);
    REQUIRE(bytes.ok());
    std::ofstream(path("mixed.buurtstem"), std::ios::binary) << *bytes;

    const CommandResult first = import(*this, path("mixed.buurtstem"));
    INFO("import said: " << first.output);
    CHECK(first.exit_code == 3); // something was refused
    CHECK(first.output.find("4 responses, 3 stored now, 0 already stored, 1 rejected") != std::string::npos);
    CHECK(first.output.find("rejected " + bad_id + ": payload.responses[1].answers[0].value: ") !=
          std::string::npos);
    CHECK(server_count() == 3);

    const CommandResult again = import(*this, path("mixed.buurtstem"));
    INFO("import again said: " << again.output);
    CHECK(again.output.find("4 responses, 0 stored now, 3 already stored, 1 rejected") != std::string::npos);
    CHECK(server_count() == 3);

    // One changed byte still refuses the whole file: the signature covers every response.
    std::string changed = *bytes;
    changed[changed.find("\"ja")] = '[';
    std::ofstream(path("changed.buurtstem"), std::ios::binary) << changed;
    const CommandResult tampered = import(*this, path("changed.buurtstem"));
    CHECK(tampered.exit_code == 1);
    CHECK(tampered.output.find("signature does not match") != std::string::npos);
    CHECK(server_count() == 3);
}

TEST_CASE_FIXTURE(ServerFixture,
                  "contacts travel in the bundle apart from the responses and are stored once, "
                  "also when the network brings them again" *
                      doctest::test_suite("server-store")) {
    const auto kiosk = path("kiosk.db");
    {
        ResponseStore store = open_kiosk(kiosk);
        const auto responses = demo_responses(2, device_id);
        for (int i = 0; i < 2; ++i) {
            REQUIRE(store.commit(responses[static_cast<size_t>(i)]).ok());
            REQUIRE(store
                        .add_contact({std::string(kDemoConsultation), "Buurtgenoot " + std::to_string(i),
                                      "06-2000000" + std::to_string(i)})
                        .ok());
        }
    }
    const auto bundle = path("bundle.buurtstem");
    auto exported = export_pending_bundle({kiosk, path("kiosk.key"), device_id, bundle});
    REQUIRE_MESSAGE(exported.ok(), (exported.ok() ? "" : exported.error()));
    CHECK(exported->responses == 2);
    CHECK(exported->contacts == 2);
    // The contacts' part is not inside any response.
    const std::string bytes = read_file(bundle);
    CHECK(bytes.find("Buurtgenoot 0") > bytes.find("\"contacts\":"));
    auto key = usb_bundle::load_or_create_device_key(path("kiosk.key"));
    REQUIRE(key.ok());
    register_key(*this, *key);

    const CommandResult first = import(*this, bundle);
    INFO("import said: " << first.output);
    REQUIRE(first.exit_code == 0);
    CHECK(first.output.find("2 responses, 2 stored now") != std::string::npos);
    CHECK(first.output.find("2 contacts, 2 stored now") != std::string::npos);
    const CommandResult again = import(*this, bundle);
    CHECK(again.output.find("2 contacts, 0 stored now") != std::string::npos);

    // The network comes back: the kiosk sends them again; the server keeps each once and confirms them.
    SyncClient client = make_client(sync_settings(), kiosk);
    auto report = client.sync_all();
    REQUIRE_MESSAGE(report.ok(), report.error().message);
    CHECK(report->contacts == 2);
    const CommandResult contacts = server_command(*this, {"export-contacts"});
    REQUIRE(contacts.exit_code == 0);
    CHECK(occurrences(contacts.output, ";Buurtgenoot 0;06-20000000\r\n") == 1);
    CHECK(occurrences(contacts.output, ";Buurtgenoot 1;06-20000001\r\n") == 1);
    CHECK(server_count() == 2);

    // Confirmed by the server: the volunteer may wipe them from the kiosk (counts only on screen).
    ResponseStore store = open_kiosk(kiosk);
    CHECK(store.contact_counts().value().sent == 2);
    CHECK(store.clear_delivered_contacts().value() == 2);
    CHECK(store.contact_counts().value().sent == 0);
    CHECK(store.contact_counts().value().waiting == 0);
    CHECK(store.clear_delivered_contacts().value() == 0);
}

TEST_CASE_FIXTURE(ServerFixture, "responses of an upload that got no answer are not counted as sent") {
    const auto kiosk = path("kiosk.db");
    commit_to_kiosk(kiosk, demo_responses(30, device_id));
    SyncSettings settings = sync_settings();
    settings.batch_size = 10;

    SUBCASE("the pass is stopped before the first batch goes out") {
        SyncClient client = make_client(settings, kiosk);
        client.set_cancel_check([] { return true; });
        auto report = client.sync_all();
        REQUIRE_FALSE(report.ok());
        CHECK(report.error().kind == SyncError::Kind::Cancelled);
    }
    SUBCASE("the server is gone") {
        REQUIRE(stop_server() == std::optional<int>(0));
        SyncClient client = make_client(settings, kiosk);
        auto report = client.sync_all();
        REQUIRE_FALSE(report.ok());
    }
    ResponseStore store = open_kiosk(kiosk);
    const PipelineCounts counts = store.pipeline_counts().value();
    CHECK(counts.sent == 0);
    CHECK(counts.stored_here == 30);
    CHECK(counts.confirmed == 0);
}
