// ServerStore: where the central server keeps devices and responses. SQLite (one file, the embedded
// default) or PostgreSQL (postgres_server_store.cpp, for a region that outgrows one file).
//
// Every implementation promises:
//  - store_responses() is idempotent per response id and atomic per call: either every new response of
//    the call is stored with all its answers, or none is (and an error is returned);
//  - a token is kept only as a hash, so a copied database does not hand out working tokens.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "buurtstem/consultation/contact.hpp"
#include "buurtstem/consultation/response.hpp"
#include "buurtstem/core/result.hpp"
#include "buurtstem/protocol/result_bundle.hpp"

namespace buurtstem {

struct ServerStoreError {
    enum class Kind { CannotOpen, NewerSchema, DiskFull, Exists, NotFound, Failed };
    Kind kind = Kind::Failed;
    std::string message;

    std::string to_string() const { return message; }
};

enum class StoreOutcome {
    Stored,        // new; stored now
    AlreadyStored, // the same id with the same content was stored before: fine, acknowledge again
    Conflict,      // the same id with different content: refuse, keep what is stored
};

// What a presented device token is.
struct TokenCheck {
    enum class State { Unknown, Revoked, Active };
    State state = State::Unknown;
    std::string device_id; // set for Revoked and Active
};

// The device and its fresh token, handed out once for a valid enrolment code.
struct Enrolment {
    std::string device_id;
    std::string token;
};

struct StoredResponse {
    CompletedResponse response;
    std::string received_at;
};

// One event and what came in through it, per channel (`buurtstem-server events`).
struct EventCounts {
    ResponseEvent event;
    std::string device_id; // the kiosk that first sent a response of it
    int64_t kiosk = 0;
    int64_t facilitated = 0;
    int64_t paper = 0;
};

// [SECTION] Dashboard counts (aggregates.hpp), counted by the database: GROUP BY over the responses and
// answers of one consultation, so a dashboard of 100 000 responses holds groups, not responses.
struct KeyCount {
    std::string key;
    int64_t count = 0;
};

// Responses per event (nullopt: given outside an event); the event's id is left empty.
struct EventGroupCount {
    std::optional<ResponseEvent> event;
    int64_t count = 0;
};

// Answers with this value to this question in responses of this consultation version.
struct AnswerGroupCount {
    int consultation_version = 0;
    std::string question_id;
    std::string value;
    int64_t count = 0;
};

struct TextAnswer {
    std::string question_id;
    std::string value;
    std::string received_at;
};

struct DashboardQuery {
    // Questions whose summary only counts that there was an answer (free text): their values are
    // counted as "" (skipped) or "1" (answered), not one group per typed text.
    std::vector<std::string> presence_only;
    // Questions whose non-empty answers are listed (free text), and which (version, question) pairs
    // not to list or count (a question whose type changed between versions).
    std::vector<std::string> text_questions;
    std::vector<std::pair<int, std::string>> text_excluded;
    std::string text_search; // lower-case; matched against the answer with A-Z folded only; empty: all
    int64_t max_texts = 200;
};

struct DashboardCounts {
    int64_t total = 0;
    std::vector<KeyCount> per_day; // "YYYY-MM-DD" of completed_at
    std::vector<KeyCount> per_language;
    std::vector<KeyCount> per_device;
    std::vector<KeyCount> per_channel; // channel_name()
    std::vector<EventGroupCount> per_event;
    std::vector<AnswerGroupCount> answers;
    int64_t text_matches = 0;
    std::vector<TextAnswer> texts; // the first max_texts matches, in the order received
};

class ServerStore {
public:
    virtual ~ServerStore() = default;

    // Registers a kiosk and returns its new secret token (shown once; only its hash is kept).
    virtual Result<std::string, ServerStoreError> add_device(const std::string& device_id) = 0;
    // Gives a registered kiosk a new token (the old one stops working at once): for a kiosk that lost
    // its token file, without a new device id that would orphan its pending responses.
    virtual Result<std::string, ServerStoreError> reissue_token(const std::string& device_id) = 0;
    // The device a token belongs to; nullopt for an unknown or revoked token.
    virtual Result<std::optional<std::string>, ServerStoreError>
    device_for_token(const std::string& token) = 0;

    // Like device_for_token, but tells a revoked device (its hash is kept) from an unknown token.
    virtual Result<TokenCheck, ServerStoreError> check_token(const std::string& token) = 0;
    // Stops a device at once: its token is refused from now on. Its responses stay stored.
    virtual Status<ServerStoreError> revoke_device(const std::string& device_id) = 0;

    // Keeps a one-time enrolment code for `device_id` (only its hash; see enrolment.hpp) until
    // `expires_at` (ISO 8601 UTC). Earlier unused codes of the device stop working.
    virtual Status<ServerStoreError> add_enrolment_code(const std::string& device_id,
                                                        const std::string& code_hash,
                                                        const std::string& expires_at) = 0;
    // Uses up the code with this hash if it is unused and not expired at `now`: registers the device
    // (or gives it a new token, lifting a revocation, since the council issued the code), all in one
    // transaction. `expected_device` non-empty: only a code for that device counts. nullopt for a
    // wrong, used, expired or other device's code: the caller must not tell which.
    virtual Result<std::optional<Enrolment>, ServerStoreError>
    redeem_enrolment_code(const std::string& code_hash, const std::string& now,
                          const std::string& expected_device) = 0;

    virtual Result<std::vector<StoreOutcome>, ServerStoreError>
    store_responses(const std::vector<CompletedResponse>& responses, const std::string& received_at) = 0;

    virtual Result<int64_t, ServerStoreError> count_responses(const std::string& consultation_id) = 0;

    // What a kiosk said it still has to send (the Buurtstem-Pending header) and when (ISO 8601 UTC);
    // replaces what it said before. NotFound for an unknown device.
    virtual Status<ServerStoreError> report_pending(const std::string& device_id, int64_t pending,
                                                    const std::string& reported_at) = 0;

    // [SECTION] Issue 10: events, device keys, contacts
    // Every event responses came in with, oldest first, counts per channel.
    virtual Result<std::vector<EventCounts>, ServerStoreError> event_counts() = 0;
    // The Ed25519 public key (64 hex digits) that signs the device's USB bundles; replaces an older one.
    virtual Status<ServerStoreError> set_device_key(const std::string& device_id,
                                                    const std::string& public_key_hex) = 0;
    // nullopt when the device has no key registered (NotFound when the device is unknown, Failed when
    // it is revoked).
    virtual Result<std::optional<std::string>, ServerStoreError> device_key(const std::string& device_id) = 0;
    // Stores contacts not stored before (by contact_id), in one transaction; returns how many were new.
    // `received_day` is YYYY-MM-DD: the server keeps no finer time for a contact either.
    virtual Result<int64_t, ServerStoreError> store_contacts(const std::vector<ContactEntry>& contacts,
                                                             const std::string& received_day) = 0;
    // Every contact, ordered by consultation then name: never in arrival order.
    virtual Status<ServerStoreError>
    for_each_contact(const std::function<void(const ContactEntry&)>& visit) = 0;
    // Calls `visit` for each response to `consultation_id`, in the order they were received.
    virtual Status<ServerStoreError>
    for_each_response(const std::string& consultation_id,
                      const std::function<void(const StoredResponse&)>& visit) = 0;

    // [SECTION] Exports (export.hpp). Every question id that appears in an answer to `consultation_id`,
    // sorted; lets an export write its header before it visits the rows once. The default visits every
    // response (correct for any store; a store overrides it with one query).
    virtual Result<std::vector<std::string>, ServerStoreError>
    answered_question_ids(const std::string& consultation_id);

    // Every count the dashboard and the public page show (DashboardCounts), read in one snapshot. Keys
    // come in no particular order; the caller sorts them.
    virtual Result<DashboardCounts, ServerStoreError> dashboard_counts(const std::string& consultation_id,
                                                                       const DashboardQuery& query) = 0;

    // [SECTION] Result texts ("you said, we did"). Not pure: a store that does not keep them yet answers
    // Failed "result texts are not kept in this store".
    //
    // Sets (replaces) the text and figures of one language of a consultation's result; an empty text
    // with no figures removes that language. Every call raises the result's revision by one. The text
    // is checked with check_result_text() first (Failed with its reason; see result_bundle.hpp).
    virtual Status<ServerStoreError> set_result_text(const std::string& consultation_id,
                                                     const ResultText& text);
    // The result of one consultation; nullopt when none was ever set. A result whose every language was
    // removed is kept with no texts and a higher revision, so kiosks learn to stop showing it.
    virtual Result<std::optional<ConsultationResult>, ServerStoreError>
    result_for(const std::string& consultation_id);
    // Every consultation's result, by consultation id.
    virtual Result<std::vector<ConsultationResult>, ServerStoreError> all_results();
    // Withdraws a consultation's result altogether: it is no longer listed, and kiosks that check the
    // signed listing (result_listing.hpp) remove their copy. NotFound when there is none.
    virtual Status<ServerStoreError> remove_result(const std::string& consultation_id);
};

// Opens (creating if needed) the SQLite server store at `path`.
Result<std::unique_ptr<ServerStore>, ServerStoreError> open_sqlite_server_store(const std::string& path);
// Connects to the PostgreSQL database at `uri` (postgresql://user@host:port/database) and brings its
// schema up to date. CannotOpen names libpq's reason (refused, authentication, no such database).
Result<std::unique_ptr<ServerStore>, ServerStoreError> open_postgresql_server_store(const std::string& uri);
// What every `--db` takes: a postgresql:// or postgres:// address opens PostgreSQL, anything else is the
// path of an SQLite file.
Result<std::unique_ptr<ServerStore>, ServerStoreError> open_server_store(const std::string& db);
bool is_postgresql_address(const std::string& db);

// A stable fingerprint of a response's content, to tell a resend from a conflicting reuse of an id.
std::string response_fingerprint(const CompletedResponse& response);
// BLAKE2b of a token, hex; what the store keeps instead of the token.
std::string token_hash(const std::string& token);

// What every store does before keeping a result text: checks the consultation id and the text
// (check_result_text), and gives the figures as the JSON text the stores keep in `result_texts.figures`.
Result<std::string, ServerStoreError> result_figures_to_store(const std::string& consultation_id,
                                                              const ResultText& text);
// The figures back from that JSON; anything that is not a label/value pair is skipped.
std::vector<ResultFigure> result_figures_from_store(const std::string& json);

// The parts of the dashboard's SQL that depend on a DashboardQuery, for both stores (server_store.cpp).
// Each part numbers its placeholders from `first_param` on (they go in different statements); its params
// are bound to them in order, as text.
struct DashboardSql {
    std::string answer_key; // the value to group answers by (presence-only questions folded)
    std::vector<std::string> answer_params;
    std::string text_filter; // "AND ..." conditions that pick the listed texts (a = answers, r = responses)
    std::vector<std::string> text_params;
};
enum class SqlDialect { Sqlite, Postgres };
DashboardSql dashboard_sql(const DashboardQuery& query, SqlDialect dialect, int first_param);

} // namespace buurtstem
