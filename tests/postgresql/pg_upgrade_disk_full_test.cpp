// PostgreSQL against the real server binary, for what only PostgreSQL has:
//  - a database a schema-4 server wrote, with responses, devices, codes and result texts in it, brought to
//    schema 5 and on by the server: nothing lost, the old token still works, the new columns take data;
//  - a real full disk: the store's tables on a tablespace on a small tmpfs (root only, which mounts it);
//    an upload then gets 503 and stores nothing, the kiosk keeps its responses, and once space returns
//    the same upload goes through. A limit such as temp_file_limit is not a full disk, so none is used.
#include <doctest/doctest.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buurtstem/core/clock.hpp"
#include "buurtstem/server/pg.hpp"
#include "buurtstem/server/server_store.hpp"
#include "pg_cluster.hpp"
#include "server_fixture.hpp"

using namespace buurtstem;
using namespace buurtstem::test;

namespace {

// [SECTION] schema 4, as the server of issue 9 left it (postgres_server_store.cpp migrations 1-4; the
// server no longer holds them apart, so they are written out here as they were shipped).
constexpr const char* kSchema4 = R"sql(
CREATE TABLE schema_version (version integer NOT NULL);
INSERT INTO schema_version (version) VALUES (4);
CREATE TABLE devices (
    id          text PRIMARY KEY,
    token_hash  text NOT NULL UNIQUE,
    created_at  text NOT NULL,
    revoked_at  text
);
CREATE TABLE responses (
    seq                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                   text NOT NULL UNIQUE,
    consultation_id      text NOT NULL,
    consultation_version integer NOT NULL,
    device_id            text NOT NULL REFERENCES devices (id),
    language             text NOT NULL,
    started_at           text NOT NULL,
    completed_at         text NOT NULL,
    received_at          text NOT NULL,
    fingerprint          text NOT NULL
);
CREATE INDEX responses_by_consultation ON responses (consultation_id, seq);
CREATE TABLE answers (
    response_seq bigint NOT NULL REFERENCES responses (seq),
    position     integer NOT NULL,
    question_id  text NOT NULL,
    value        text NOT NULL,
    PRIMARY KEY (response_seq, position),
    UNIQUE (response_seq, question_id)
);
CREATE TABLE enrolment_codes (
    code_hash   text PRIMARY KEY,
    device_id   text NOT NULL,
    created_at  text NOT NULL,
    expires_at  text NOT NULL,
    used_at     text
);
CREATE INDEX enrolment_codes_by_device ON enrolment_codes (device_id);
CREATE TABLE results (
    consultation_id text PRIMARY KEY,
    revision        bigint NOT NULL,
    updated_at      text NOT NULL
);
CREATE TABLE result_texts (
    consultation_id text NOT NULL REFERENCES results (consultation_id),
    language        text NOT NULL,
    text            text NOT NULL,
    figures         text NOT NULL,
    updated_at      text NOT NULL,
    PRIMARY KEY (consultation_id, language)
);
)sql";

std::string count(pg::Connection& c, const std::string& sql) {
    return c.query(sql).text(0, 0);
}

} // namespace

TEST_CASE(
    "a schema-4 PostgreSQL database with responses is upgraded to 5 and on by the server: nothing lost, "
    "the old token works, the new columns take events, channels and notes") {
    TempDir dir;
    const std::string address = test_store_address(dir / "server.db");
    const std::string token = "schema-four-token-0123456789abcdef0123456789abcdef";
    {
        pg::Connection c(address);
        c.exec(kSchema4);
        c.run("INSERT INTO devices (id, token_hash, created_at) VALUES ('kiosk-oud', $1, "
              "'2026-01-02T10:00:00Z')",
              {token_hash(token)});
        // 30 responses with their answers, as a schema-4 server stored them (no channel, event or note).
        for (int i = 0; i < 30; ++i) {
            const std::string id = "00000000-0000-4000-8000-0000000000" + std::to_string(10 + i);
            c.run(
                "INSERT INTO responses (id, consultation_id, consultation_version, device_id, language, "
                "started_at, completed_at, received_at, fingerprint) VALUES ($1, 'minimaregelingen-ijmond', "
                "1, 'kiosk-oud', $2, '2026-01-03T09:00:00Z', '2026-01-03T09:01:00Z', "
                "'2026-01-03T09:02:00Z', 'fp')",
                {id, std::string(i % 3 == 0 ? "ar" : "nl")});
            c.run("INSERT INTO answers (response_seq, position, question_id, value) SELECT seq, 0, "
                  "'kent-regelingen', $2 FROM responses WHERE id = $1",
                  {id, std::string(i % 2 == 0 ? "ja-goed" : "nee")});
            c.run("INSERT INTO answers (response_seq, position, question_id, value) SELECT seq, 1, "
                  "'ideeen', 'Meer uitleg, graag' FROM responses WHERE id = $1",
                  {id});
        }
        c.exec("INSERT INTO enrolment_codes VALUES ('hash-1', 'kiosk-nieuw', '2026-01-02T10:00:00Z', "
               "'2099-01-01T00:00:00Z', NULL)");
        c.exec("INSERT INTO results VALUES ('minimaregelingen-ijmond', 3, '2026-01-04T10:00:00Z')");
        c.exec("INSERT INTO result_texts VALUES ('minimaregelingen-ijmond', 'nl', 'We maken één formulier.', "
               "'[]', '2026-01-04T10:00:00Z')");
    }

    // The server binary opens it, as at the first start after an update.
    const CommandResult counted = run_command(
        {server_binary().string(), "count", "--db", address, "--consultation", "minimaregelingen-ijmond"});
    INFO("count said: " << counted.output);
    REQUIRE(counted.exit_code == 0);
    CHECK(std::stoll(counted.output) == 30);

    pg::Connection c(address);
    // Every later migration ran too: 5 (events, channels, notes) and 6 (the kiosks' pending counts).
    CHECK(count(c, "SELECT version FROM schema_version") == "6");
    CHECK(count(c, "SELECT count(*) FROM schema_version") == "1");
    CHECK(count(c, "SELECT count(*) FROM responses") == "30");
    CHECK(count(c, "SELECT count(*) FROM answers") == "60");
    CHECK(count(c, "SELECT count(*) FROM responses WHERE language = 'ar'") == "10");
    CHECK(count(c, "SELECT count(*) FROM answers WHERE value = 'ja-goed'") == "15");
    // Old rows get the defaults: a kiosk response, no note, no event.
    CHECK(count(c, "SELECT count(*) FROM responses WHERE channel = 'kiosk' AND note IS NULL AND event_id IS "
                   "NULL") == "30");
    CHECK(count(c, "SELECT count(*) FROM enrolment_codes WHERE used_at IS NULL") == "1");
    CHECK(count(c, "SELECT count(*) FROM devices WHERE public_key IS NULL") == "1");

    auto opened = open_server_store(address);
    REQUIRE_MESSAGE(opened.ok(), (opened.ok() ? "" : opened.error().to_string()));
    ServerStore& store = **opened;
    auto device = store.device_for_token(token);
    REQUIRE(device.ok());
    CHECK(*device == std::optional<std::string>("kiosk-oud"));
    auto result = store.result_for("minimaregelingen-ijmond");
    REQUIRE(result.ok());
    REQUIRE(result->has_value());
    CHECK((*result)->revision == 3);
    REQUIRE((*result)->texts.size() == 1);
    CHECK((*result)->texts[0].text == "We maken één formulier.");

    // The columns schema 5 added take data.
    auto responses = demo_responses(6, "kiosk-oud");
    for (CompletedResponse& r : responses) {
        r.channel = Channel::Facilitated;
        r.note = "met hulp van een vrijwilliger";
        r.event = ResponseEvent{"11111111-2222-4333-8444-555555555555", "Koffieochtend", "Zee- en Duinwijk",
                                "Velsen", "2026-03-14"};
    }
    auto stored = store.store_responses(responses, now_iso8601_utc());
    REQUIRE_MESSAGE(stored.ok(), (stored.ok() ? "" : stored.error().to_string()));
    CHECK(count(c, "SELECT count(*) FROM responses") == "36");
    CHECK(count(c,
                "SELECT count(*) FROM responses WHERE channel = 'facilitated' AND event_id = "
                "'11111111-2222-4333-8444-555555555555' AND note = 'met hulp van een vrijwilliger'") == "6");
    auto events = store.event_counts();
    REQUIRE(events.ok());
    REQUIRE(events->size() == 1);
    CHECK(events->front().facilitated == 6);
    CHECK(store.set_device_key("kiosk-oud", std::string(64, 'a')).ok());
    CHECK(count(c, "SELECT public_key FROM devices WHERE id = 'kiosk-oud'") == std::string(64, 'a'));
    // And the old responses still read back in full, answers included.
    int64_t old_with_answers = 0;
    REQUIRE(store
                .for_each_response("minimaregelingen-ijmond",
                                   [&](const StoredResponse& r) {
                                       if (r.response.device_id == "kiosk-oud" &&
                                           r.response.channel == Channel::Kiosk &&
                                           r.response.answers.size() == 2) {
                                           ++old_with_answers;
                                       }
                                   })
                .ok());
    CHECK(old_with_answers == 30);
}

namespace {

// [SECTION] a small disk of our own: a tmpfs, mounted by root, gone with the test (lazy unmount, so a
// postgres still holding a file in it does not keep it).
class SmallDisk {
public:
    explicit SmallDisk(const std::string& size) {
        char pattern[] = "/tmp/buurtstem-pgdisk-XXXXXX";
        if (mkdtemp(pattern) == nullptr) {
            why_ = std::string("mkdtemp: ") + std::strerror(errno);
            return;
        }
        path_ = pattern;
        chmod(path_.c_str(), 0755); // postgres (another user) must reach its tablespace below it
        const std::string options = "size=" + size + ",mode=0755";
        if (mount("tmpfs", path_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) != 0) {
            why_ = "cannot mount a tmpfs at " + path_.string() + ": " + std::strerror(errno);
            return;
        }
        mounted_ = true;
    }
    ~SmallDisk() {
        if (mounted_) {
            umount2(path_.c_str(), MNT_DETACH);
        }
        if (!path_.empty()) {
            rmdir(path_.c_str());
        }
    }
    SmallDisk(const SmallDisk&) = delete;
    SmallDisk& operator=(const SmallDisk&) = delete;

    bool mounted() const { return mounted_; }
    const std::string& why_not() const { return why_; }
    const std::filesystem::path& path() const { return path_; }

    // Writes a file until the disk has no byte left (ENOSPC). True when it got there.
    bool fill(const std::filesystem::path& file) const {
        const int fd = open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0) {
            return false;
        }
        const std::string block(64 * 1024, '\0');
        bool full = false;
        for (;;) {
            const ssize_t n = write(fd, block.data(), block.size());
            if (n < 0) {
                full = errno == ENOSPC;
                break;
            }
            if (n < static_cast<ssize_t>(block.size())) {
                // A short write: the last bytes; the next write says ENOSPC.
                continue;
            }
        }
        close(fd);
        return full;
    }

private:
    std::filesystem::path path_;
    bool mounted_ = false;
    std::string why_;
};

} // namespace

TEST_CASE("PostgreSQL disk full: the upload gets 503 and stores nothing, the kiosk keeps its responses, "
          "and once space returns the same responses go through") {
    if (geteuid() != 0) {
        MESSAGE("SKIPPED: a real full disk needs a tmpfs of our own, and only root may mount one; run the "
                "PostgreSQL tests as root (as CI does) to check it");
        return;
    }
    SmallDisk disk("2m");
    if (!disk.mounted()) {
        MESSAGE("SKIPPED: " << disk.why_not() << " (a container without CAP_SYS_ADMIN?)");
        return;
    }
    ServerFixture server;
    pg::Connection admin(server.server_db.string());
    // The tablespace folder belongs to whoever runs postgres (not root: it refuses to).
    struct stat data {};
    REQUIRE(stat(admin.query("SHOW data_directory").text(0, 0).c_str(), &data) == 0);
    const std::filesystem::path folder = disk.path() / "pg";
    std::filesystem::create_directory(folder);
    REQUIRE(chown(folder.c_str(), data.st_uid, data.st_gid) == 0);
    const std::string tablespace = "small_disk_" + std::to_string(getpid());
    admin.exec("CREATE TABLESPACE " + tablespace + " LOCATION '" + folder.string() + "'");
    // The store's tables and indexes (this test's schema only: other tests share the cluster) move onto it.
    auto tables = admin.query("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()");
    for (int i = 0; i < tables.size(); ++i) {
        admin.exec("ALTER TABLE " + tables.text(i, 0) + " SET TABLESPACE " + tablespace);
    }
    auto indexes = admin.query("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()");
    for (int i = 0; i < indexes.size(); ++i) {
        admin.exec("ALTER INDEX " + indexes.text(i, 0) + " SET TABLESPACE " + tablespace);
    }

    const auto kiosk = server.path("kiosk.db");
    commit_to_kiosk(kiosk, demo_responses(20, server.device_id));
    {
        SyncClient client = make_client(server.sync_settings(), kiosk);
        auto first = client.sync_all();
        REQUIRE_MESSAGE(first.ok(), (first.ok() ? "" : first.error().message));
    }
    REQUIRE(server.server_count() == 20);

    const std::filesystem::path filler = disk.path() / "filler";
    REQUIRE(disk.fill(filler));
    commit_to_kiosk(kiosk, demo_responses(300, server.device_id)); // many pages: the tables must grow
    {
        SyncClient client = make_client(server.sync_settings(), kiosk);
        auto refused = client.sync_all();
        REQUIRE_FALSE(refused.ok());
        INFO("sync said: " << refused.error().message);
        CHECK(refused.error().kind == SyncError::Kind::Server);
        CHECK(refused.error().message.find("HTTP 503") != std::string::npos);
        CHECK(refused.error().message.find("disk full") != std::string::npos);
    }
    INFO("server log: " << server.server_log());
    CHECK(server.server_log().find("No space left on device") != std::string::npos);
    CHECK(server.server_log().find("disk full") != std::string::npos);
    CHECK(kiosk_counts(kiosk).pending == 300); // the kiosk keeps every response
    CHECK(server.server_count() == 20);        // nothing half-stored, nothing stored lost
    CHECK(server.server_running());

    std::filesystem::remove(filler);
    {
        SyncClient client = make_client(server.sync_settings(), kiosk);
        auto after = client.sync_all();
        REQUIRE_MESSAGE(after.ok(), (after.ok() ? "" : after.error().message));
        CHECK(after->accepted == 300);
    }
    CHECK(server.server_count() == 320);
    CHECK(kiosk_counts(kiosk).pending == 0);
    // Leave the cluster as found: the tables go back, then the tablespace.
    server.stop_server();
    for (int i = 0; i < tables.size(); ++i) {
        admin.exec("ALTER TABLE " + tables.text(i, 0) + " SET TABLESPACE pg_default");
    }
    for (int i = 0; i < indexes.size(); ++i) {
        admin.exec("ALTER INDEX " + indexes.text(i, 0) + " SET TABLESPACE pg_default");
    }
    admin.exec("DROP TABLESPACE " + tablespace);
}
