// ResponseStore: where the kiosk keeps residents' completed responses, in one SQLite file.
//
// Contract: commit() returns only after the response and all its answers are durable on disk (one
// transaction, WAL, synchronous=FULL), or it returns an error and nothing of that response was written.
// Schema: kiosk/store/SCHEMA.md.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "buurtstem/consultation/consultation.hpp"
#include "buurtstem/consultation/response.hpp"
#include "buurtstem/core/result.hpp"
#include "buurtstem/core/sqlite.hpp"
#include "buurtstem/store/events.hpp"
#include "buurtstem/store/store_error.hpp"

namespace buurtstem {

struct SyncCounts {
    int64_t pending = 0;  // waiting to be sent
    int64_t synced = 0;   // acknowledged by the server
    int64_t rejected = 0; // refused by the server for good; kept, shown to the volunteer
};

class ResponseStore {
public:
    static Result<ResponseStore, StoreError> open(const std::filesystem::path& path);
    ~ResponseStore();
    ResponseStore(ResponseStore&&) noexcept;
    ResponseStore& operator=(ResponseStore&&) noexcept;

    // [SECTION] Responses
    // A response that answers one question twice is a caller bug: refused (Failed), nothing written.
    // Stored with response.channel and response.note; its `event` is set by the store to the event
    // running now (whatever the caller put there), so every response of an event carries it.
    Status<StoreError> commit(const CompletedResponse& response);
    // The same, through `channel` (a volunteer in conversation, or typing in a paper form) with an
    // optional short note (at most 200 bytes of one-line text; refused as Invalid otherwise).
    Status<StoreError> commit(const CompletedResponse& response, Channel channel, std::string_view note = {});
    Result<std::optional<CompletedResponse>, StoreError> find(const std::string& id);
    Result<SyncCounts, StoreError> counts();

    // [SECTION] Events (issue 10)
    // Starts an event today. Refused (Invalid) while another one runs, or when a field is empty after
    // trimming, longer than 120 bytes, or holds a character the server refuses (protocol text rules).
    Result<EventInfo, StoreError> start_event(std::string_view name, std::string_view wijk,
                                              std::string_view municipality);
    // Ends the running event; nullopt when none runs.
    Result<std::optional<EventInfo>, StoreError> end_event();
    Result<std::optional<EventInfo>, StoreError> current_event();
    // Past and running events, newest first, with their counts per channel.
    Result<std::vector<EventInfo>, StoreError> events(size_t max_count = 200);

    // [SECTION] Live panel
    // Responses completed today (the kiosk's local day).
    Result<int64_t, StoreError> count_today();
    Result<int64_t, StoreError> count_in_event(const std::string& event_id);
    Result<PipelineCounts, StoreError> pipeline_counts();
    // Per question of `consultation` (in question order), the bars of its answers, over this kiosk's
    // responses to that consultation id (any version) in event `event_id` (empty: all of them). The
    // counting is the question type's (QuestionType::tally).
    Result<std::vector<QuestionTally>, StoreError> tallies(const Consultation& consultation,
                                                           const std::string& event_id);
    // Free bytes for this store's folder (statvfs, what an unprivileged process may use).
    Result<uint64_t, StoreError> free_disk_bytes();

    // [SECTION] Contacts (opt-in to be invited; never read back on the kiosk)
    // Refused (Invalid) when the name or the phone/e-mail is empty, longer than 200 bytes, or holds a
    // character the server refuses.
    Status<StoreError> add_contact(const ContactDetails& contact);
    Result<ContactCounts, StoreError> contact_counts();
    // Deletes the contacts the server has confirmed (the council has them; the kiosk need not keep a
    // name and a phone number a day longer). Returns how many were deleted. Waiting ones stay.
    Result<int64_t, StoreError> clear_delivered_contacts();

    const std::filesystem::path& path() const;

private:
    // The connection and its prepared statements live together on the heap: statements point at their
    // connection, so neither may move when the store does.
    struct Impl;
    explicit ResponseStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace buurtstem
