// The dashboard's counts come from the database (ServerStore::dashboard_counts, GROUP BY): here they must
// equal, number for number and in the same order, what one pass over every stored response gives (the
// reference below, which is how the dashboard counted before), on data that exercises every rule: two
// known versions with a question whose type changed, an unknown version, skipped (empty) answers, free
// text with a search and a limit, events, channels and small groups. Runs against SQLite and PostgreSQL.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "buurtstem/consultation/consultation_loader.hpp"
#include "buurtstem/core/uuid.hpp"
#include "buurtstem/server/aggregates.hpp"
#include "buurtstem/server/server_store.hpp"
#include "pg_cluster.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace buurtstem;

namespace {

const fs::path kDemo = fs::path(BUURTSTEM_SOURCE_DIR) / "config" / "consultations" / "minimaregelingen.toml";
const std::string kId = "minimaregelingen-ijmond";

std::string fold(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

std::vector<GroupCount> groups_of(const std::map<std::string, int64_t>& counts) {
    std::vector<GroupCount> groups;
    for (const auto& [label, count] : counts) {
        groups.push_back({label, count, count < kMinGroupSize});
    }
    std::stable_sort(groups.begin(), groups.end(),
                     [](const GroupCount& a, const GroupCount& b) { return a.count > b.count; });
    return groups;
}

// The dashboard's counting as it was: every response read and counted in memory.
ConsultationAggregate reference(ServerStore& store, const ConsultationCatalog& catalog,
                                const AggregateOptions& options) {
    ConsultationAggregate out;
    const Consultation* latest = catalog.latest(kId);
    std::map<std::string, int64_t> per_day, per_language, per_device, per_event, per_wijk, per_municipality,
        per_mode;
    std::map<std::string, std::vector<std::string>> values;
    const std::string needle = fold(options.free_text_search);
    auto visited = store.for_each_response(kId, [&](const StoredResponse& stored) {
        const CompletedResponse& r = stored.response;
        ++out.total;
        ++per_day[r.completed_at.substr(0, 10)];
        ++per_language[r.language];
        ++per_device[r.device_id];
        static const std::string kNoEvent = "(zonder activiteit)";
        ++per_event[r.event ? r.event->date + " " + r.event->name : kNoEvent];
        ++per_wijk[r.event ? r.event->wijk : kNoEvent];
        ++per_municipality[r.event ? r.event->municipality : kNoEvent];
        ++per_mode[r.channel == Channel::Facilitated ? "In gesprek met een vrijwilliger"
                   : r.channel == Channel::Paper     ? "Papieren formulier"
                                                     : "Zelf op de kiosk"];
        const Consultation* version = catalog.find(r.consultation_id, r.consultation_version);
        for (const Answer& a : r.answers) {
            const Question* now = latest->find_question(a.question_id);
            const Question* then = version != nullptr ? version->find_question(a.question_id) : nullptr;
            if (now == nullptr || (then != nullptr && then->type != now->type)) {
                continue;
            }
            if (now->type_name() == "free_text" && options.collect_free_text && !a.value.empty()) {
                if (needle.empty() || fold(a.value).find(needle) != std::string::npos) {
                    ++out.free_text_matches;
                    if (out.free_texts.size() < options.max_free_texts) {
                        out.free_texts.push_back({a.question_id, a.value, stored.received_at});
                    }
                }
            }
            values[a.question_id].push_back(a.value);
        }
    });
    REQUIRE(visited.ok());
    out.enough = out.total >= kMinGroupSize;
    out.per_day.assign(per_day.begin(), per_day.end());
    out.breakdowns = {{"language", "Taal", true, groups_of(per_language)},
                      {"device", "Kiosk", true, groups_of(per_device)},
                      {"event", "Activiteit", true, groups_of(per_event)},
                      {"wijk", "Wijk", true, groups_of(per_wijk)},
                      {"municipality", "Gemeente", true, groups_of(per_municipality)},
                      {"mode", "Manier van meedoen", true, groups_of(per_mode)}};
    for (const Question& q : latest->questions) {
        QuestionSummary summary;
        summary.question = &q;
        const std::vector<std::string>& answers = values[q.id];
        summary.answered = static_cast<int64_t>(answers.size());
        summary.rows = q.type->summarize(q, answers, options.language);
        summary.rows_are_means = q.type_name() == "ranking";
        out.questions.push_back(std::move(summary));
    }
    return out;
}

void check_same(const ConsultationAggregate& got, const ConsultationAggregate& want) {
    CHECK(got.total == want.total);
    CHECK(got.enough == want.enough);
    CHECK(got.per_day == want.per_day);
    REQUIRE(got.breakdowns.size() == want.breakdowns.size());
    for (size_t i = 0; i < want.breakdowns.size(); ++i) {
        CAPTURE(want.breakdowns[i].key);
        CHECK(got.breakdowns[i].key == want.breakdowns[i].key);
        REQUIRE(got.breakdowns[i].groups.size() == want.breakdowns[i].groups.size());
        for (size_t g = 0; g < want.breakdowns[i].groups.size(); ++g) {
            CHECK(got.breakdowns[i].groups[g].label == want.breakdowns[i].groups[g].label);
            CHECK(got.breakdowns[i].groups[g].count == want.breakdowns[i].groups[g].count);
            CHECK(got.breakdowns[i].groups[g].suppressed == want.breakdowns[i].groups[g].suppressed);
        }
    }
    REQUIRE(got.questions.size() == want.questions.size());
    for (size_t i = 0; i < want.questions.size(); ++i) {
        CAPTURE(want.questions[i].question->id);
        CHECK(got.questions[i].answered == want.questions[i].answered);
        CHECK(got.questions[i].rows_are_means == want.questions[i].rows_are_means);
        REQUIRE(got.questions[i].rows.size() == want.questions[i].rows.size());
        for (size_t r = 0; r < want.questions[i].rows.size(); ++r) {
            CHECK(got.questions[i].rows[r].label == want.questions[i].rows[r].label);
            CHECK(got.questions[i].rows[r].value == doctest::Approx(want.questions[i].rows[r].value));
        }
    }
    CHECK(got.free_text_matches == want.free_text_matches);
    REQUIRE(got.free_texts.size() == want.free_texts.size());
    for (size_t i = 0; i < want.free_texts.size(); ++i) {
        CHECK(got.free_texts[i].question_id == want.free_texts[i].question_id);
        CHECK(got.free_texts[i].text == want.free_texts[i].text);
        CHECK(got.free_texts[i].received_at == want.free_texts[i].received_at);
    }
}

} // namespace

TEST_CASE("the dashboard's database counts equal a pass over every response, rule for rule" *
          doctest::test_suite("server-store")) {
    test::TempDir dir;
    auto opened = open_server_store(test::test_store_address(dir.path() / "server.sqlite"));
    REQUIRE_MESSAGE(opened.ok(), (opened.ok() ? "" : opened.error().to_string()));
    ServerStore& store = **opened;

    // Version 2 is the demo file; version 1 had "ideeen" as a single choice and "aanvragen-makkelijk"
    // as free text: those answers of version 1 must count nowhere. Version 7 is unknown: it counts.
    auto loaded = load_consultation_file(kDemo);
    REQUIRE(loaded.ok());
    Consultation v2 = std::move(loaded).value();
    v2.version = 2;
    Consultation v1 = v2;
    v1.version = 1;
    for (Question& q : v1.questions) {
        if (q.id == "ideeen") {
            q.type = find_question_type("single_choice");
        } else if (q.id == "aanvragen-makkelijk") {
            q.type = find_question_type("free_text");
        }
    }
    const ConsultationCatalog catalog({v1, v2});
    const Consultation& latest = *catalog.latest(kId);

    const std::vector<std::string> devices{"kiosk-a", "kiosk-b", "kiosk-c"};
    for (const std::string& d : devices) {
        REQUIRE(store.add_device(d).ok());
    }
    const std::vector<ResponseEvent> events{
        {new_uuid_v4(), "Markt Beverwijk", "Centrum", "Beverwijk", "2026-11-24"},
        {new_uuid_v4(), "Buurthuis", "Oost", "Velsen", "2026-11-25"},
        {new_uuid_v4(), "Markt Beverwijk", "Centrum", "Beverwijk", "2026-11-24"}, // same label, other id
    };
    const std::vector<std::string> texts{
        "Meer UITLEG graag", "uitleg in het Turks", "Ét café", "", "Niets", "Een formulier op papier"};
    std::mt19937 random(7);
    const auto pick = [&](size_t n) { return static_cast<size_t>(random() % n); };
    std::vector<CompletedResponse> responses;
    for (int i = 0; i < 240; ++i) {
        CompletedResponse r;
        r.id = new_uuid_v4();
        r.consultation_id = kId;
        r.consultation_version = i % 11 == 0 ? 7 : i % 3 == 0 ? 1 : 2;
        r.device_id = devices[i % 17 == 0 ? 2 : pick(2)]; // kiosk-c: a small group
        r.language = i % 29 == 0 ? "tr" : i % 4 == 0 ? "en" : "nl";
        r.started_at = "2026-11-2" + std::to_string(4 + i % 3) + "T10:00:00Z";
        r.completed_at = "2026-11-2" + std::to_string(4 + i % 3) + "T10:0" + std::to_string(i % 10) + ":00Z";
        r.channel = i % 31 == 0 ? Channel::Paper : i % 5 == 0 ? Channel::Facilitated : Channel::Kiosk;
        if (i % 7 != 0) {
            r.event = events[pick(events.size())];
        }
        for (const Question& q : latest.questions) {
            std::string value;
            const std::string type(q.type_name());
            if (i % 13 == 0) {
                value = ""; // skipped
            } else if (type == "single_choice") {
                value = q.options[pick(q.options.size())].id;
            } else if (type == "multiple_choice" || type == "ranking") {
                std::vector<std::string> chosen;
                for (const Option& o : q.options) {
                    if (type == "ranking" || pick(2) == 0) {
                        chosen.push_back(o.id);
                    }
                }
                if (type == "ranking") {
                    std::shuffle(chosen.begin(), chosen.end(), random);
                }
                value = join_list(chosen.empty() ? std::vector<std::string>{q.options[0].id} : chosen);
            } else if (type == "smiley_scale" || type == "agree_scale") {
                value = std::to_string(1 + pick(5));
            } else if (type == "yes_no") {
                value = std::vector<std::string>{"yes", "no", "unknown"}[pick(3)];
            } else {
                value = texts[pick(texts.size())];
            }
            if (r.consultation_version == 1 && q.id == "ideeen") {
                value = "uitleg"; // a single choice then; must not be listed as text
            }
            r.answers.push_back({q.id, value});
        }
        responses.push_back(std::move(r));
    }
    REQUIRE(store
                .store_responses(std::vector<CompletedResponse>(responses.begin(), responses.begin() + 120),
                                 "2026-11-26T08:00:00Z")
                .ok());
    REQUIRE(store
                .store_responses(std::vector<CompletedResponse>(responses.begin() + 120, responses.end()),
                                 "2026-11-26T09:00:00Z")
                .ok());
    // Another consultation's responses count for nothing here.
    CompletedResponse other = responses[0];
    other.id = new_uuid_v4();
    other.consultation_id = "snelle-peiling";
    REQUIRE(store.store_responses({other}, "2026-11-26T10:00:00Z").ok());

    for (const auto& [search, limit, collect] :
         std::vector<std::tuple<std::string, size_t, bool>>{{"", 200, true},
                                                            {"", 3, true},
                                                            {"UITLEG", 200, true},
                                                            {"é", 200, true},
                                                            {"50%_", 200, true},
                                                            {"", 200, false}}) {
        CAPTURE(search);
        CAPTURE(limit);
        AggregateOptions options;
        options.collect_free_text = collect;
        options.free_text_search = search;
        options.max_free_texts = limit;
        auto got = aggregate_consultation(store, catalog, kId, options);
        REQUIRE_MESSAGE(got.ok(), (got.ok() ? "" : got.error().to_string()));
        check_same(*got, reference(store, catalog, options));
    }
    AggregateOptions all;
    all.collect_free_text = true;
    auto got = aggregate_consultation(store, catalog, kId, all);
    REQUIRE(got.ok());
    CHECK(got->total == 240);
    CHECK(got->free_text_matches > 0);
    // Small groups stay hidden as before: kiosk-c sent fewer than five.
    for (const Breakdown& b : got->breakdowns) {
        for (const GroupCount& g : b.groups) {
            CHECK(g.suppressed == (g.count < kMinGroupSize));
        }
    }

    // No responses at all: nothing counted, nothing listed.
    auto empty = aggregate_consultation(store, catalog, "speeltuin-zuid", AggregateOptions{});
    REQUIRE(empty.ok());
    CHECK(empty->total == 0);
    CHECK_FALSE(empty->enough);
    CHECK(empty->per_day.empty());
}
