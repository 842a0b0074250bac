#include "buurtstem/server/server_store.hpp"

#include <nlohmann/json.hpp>
#include <sodium.h>

#include <array>
#include <set>

#include "buurtstem/core/slug.hpp"

namespace buurtstem {

namespace {

std::string blake2b_hex(const std::string& data) {
    if (sodium_init() < 0) {
        throw std::runtime_error("libsodium could not initialise");
    }
    std::array<unsigned char, crypto_generichash_BYTES> hash{};
    crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(data.data()),
                       data.size(), nullptr, 0);
    std::array<char, crypto_generichash_BYTES * 2 + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
    return std::string(hex.data());
}

void append_field(std::string& out, const std::string& field) {
    // Length-prefixed, so no choice of field contents can make two different responses look alike.
    out += std::to_string(field.size());
    out += ':';
    out += field;
}

} // namespace

std::string response_fingerprint(const CompletedResponse& r) {
    std::string canonical;
    for (const std::string* field :
         {&r.id, &r.consultation_id, &r.device_id, &r.language, &r.started_at, &r.completed_at}) {
        append_field(canonical, *field);
    }
    append_field(canonical, std::to_string(r.consultation_version));
    for (const Answer& a : r.answers) {
        append_field(canonical, a.question_id);
        append_field(canonical, a.value);
    }
    // Issue 10's fields count only when they differ from what a kiosk before them meant (kiosk, no
    // note, no event): a response stored before the upgrade and resent after it stays the same.
    if (r.channel != Channel::Kiosk || !r.note.empty() || r.event) {
        append_field(canonical, "v3");
        append_field(canonical, std::string(channel_name(r.channel)));
        append_field(canonical, r.note);
        if (r.event) {
            for (const std::string* field :
                 {&r.event->id, &r.event->name, &r.event->wijk, &r.event->municipality, &r.event->date}) {
                append_field(canonical, *field);
            }
        }
    }
    return blake2b_hex(canonical);
}

std::string token_hash(const std::string& token) {
    return blake2b_hex(token);
}

} // namespace buurtstem

namespace buurtstem {

// [SECTION] Defaults for what a store may not implement yet (see server_store.hpp)

Result<std::vector<std::string>, ServerStoreError>
ServerStore::answered_question_ids(const std::string& consultation_id) {
    std::set<std::string> ids;
    auto visited = for_each_response(consultation_id, [&](const StoredResponse& stored) {
        for (const Answer& a : stored.response.answers) {
            ids.insert(a.question_id);
        }
    });
    if (!visited) {
        return fail(visited.error());
    }
    return std::vector<std::string>(ids.begin(), ids.end());
}

namespace {
ServerStoreError no_results() {
    return {ServerStoreError::Kind::Failed, "result texts are not kept in this store"};
}
} // namespace

Status<ServerStoreError> ServerStore::set_result_text(const std::string&, const ResultText&) {
    return fail(no_results());
}

Result<std::optional<ConsultationResult>, ServerStoreError> ServerStore::result_for(const std::string&) {
    return fail(no_results());
}

Result<std::vector<ConsultationResult>, ServerStoreError> ServerStore::all_results() {
    return fail(no_results());
}

Status<ServerStoreError> ServerStore::remove_result(const std::string&) {
    return fail(no_results());
}

// [SECTION] Result texts, as every store keeps them

Result<std::string, ServerStoreError> result_figures_to_store(const std::string& consultation_id,
                                                              const ResultText& text) {
    if (!is_slug(consultation_id)) {
        return fail(ServerStoreError{ServerStoreError::Kind::Failed,
                                     "consultation id '" + consultation_id + "' is not a consultation id"});
    }
    if (auto problem = check_result_text(text)) {
        return fail(ServerStoreError{ServerStoreError::Kind::Failed, *problem});
    }
    nlohmann::json figures = nlohmann::json::array();
    for (const ResultFigure& f : text.figures) {
        figures.push_back({{"label", f.label}, {"value", f.value}});
    }
    return figures.dump();
}

std::vector<ResultFigure> result_figures_from_store(const std::string& json) {
    std::vector<ResultFigure> out;
    const nlohmann::json figures = nlohmann::json::parse(json, nullptr, false);
    if (!figures.is_array()) {
        return out;
    }
    for (const nlohmann::json& f : figures) {
        if (f.is_object() && f.contains("label") && f["label"].is_string() && f.contains("value") &&
            f["value"].is_string()) {
            out.push_back({f["label"].get<std::string>(), f["value"].get<std::string>()});
        }
    }
    return out;
}

} // namespace buurtstem

namespace buurtstem {

DashboardSql dashboard_sql(const DashboardQuery& query, SqlDialect dialect, int first_param) {
    DashboardSql out;
    int next = first_param;
    std::vector<std::string>* params = &out.answer_params;
    const auto param = [&](const std::string& value) {
        params->push_back(value);
        return std::string(dialect == SqlDialect::Sqlite ? "?" : "$") + std::to_string(next++);
    };
    const auto in_list = [&](const std::vector<std::string>& ids) {
        std::string list;
        for (const std::string& id : ids) {
            list += (list.empty() ? "" : ", ") + param(id);
        }
        return "a.question_id IN (" + list + ")";
    };
    out.answer_key = "a.value";
    if (!query.presence_only.empty()) {
        out.answer_key = "CASE WHEN " + in_list(query.presence_only) +
                         " THEN (CASE WHEN a.value = '' THEN '' ELSE '1' END) ELSE a.value END";
    }
    next = first_param;
    params = &out.text_params;
    if (query.text_questions.empty()) {
        out.text_filter = " AND 1 = 0";
        return out;
    }
    out.text_filter = " AND " + in_list(query.text_questions) + " AND a.value <> ''";
    if (!query.text_search.empty()) {
        // Only A-Z folded, in both databases, as the search promises: SQLite's lower() folds ASCII only;
        // PostgreSQL's would fold by the database's locale, so it gets an explicit translate().
        out.text_filter += dialect == SqlDialect::Sqlite
                               ? " AND instr(lower(a.value), " + param(query.text_search) + ") > 0"
                               : " AND strpos(translate(a.value, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "
                                 "'abcdefghijklmnopqrstuvwxyz'), " +
                                     param(query.text_search) + ") > 0";
    }
    for (const auto& [version, question_id] : query.text_excluded) {
        const std::string v = param(std::to_string(version));
        out.text_filter += " AND NOT (r.consultation_version = CAST(" + v +
                           " AS integer) AND a.question_id = " + param(question_id) + ")";
    }
    return out;
}

} // namespace buurtstem
