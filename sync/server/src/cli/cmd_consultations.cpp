// buurtstem-server's commands for what the council publishes: check (consultation files), keygen and sign
// (signed consultation bundles for the kiosks), set-result and withdraw-result ("you said, we did").
#include <filesystem>
#include <iostream>

#include "buurtstem/consultation/consultation_loader.hpp"
#include "buurtstem/consultation/plain_language.hpp"
#include "buurtstem/core/atomic_file.hpp"
#include "buurtstem/protocol/bundle.hpp"
#include "buurtstem/protocol/result_bundle.hpp"
#include "buurtstem/server/consultation_routes.hpp"
#include "cli.hpp"

namespace buurtstem::server_cli {
namespace {

struct PublishOptions {
    std::vector<std::string> files;
    std::string secret_key;
    std::string public_key;
    std::string out;
    std::string db;
    std::string consultation;
    std::string language;
    std::string text_file;
};

// check FILE|DIR...: what serve would refuse, and what a B1 reader might stumble on.
int check(const PublishOptions& o) {
    if (o.files.empty()) {
        return usage_error("check", "check needs at least one consultation file or folder");
    }
    const std::vector<std::filesystem::path> paths(o.files.begin(), o.files.end());
    const ConsultationScan scan = scan_consultations(paths);
    size_t warnings = 0;
    for (const Consultation& c : scan.consultations) {
        std::cout << "ok: " << c.source << ": '" << c.id << "' version " << c.version << ", "
                  << c.questions.size() << " questions\n";
        for (const std::string& warning : plain_language_warnings(c)) {
            std::cout << c.source << ": warning: " << warning << "\n";
            ++warnings;
        }
    }
    for (const ConsultationError& problem : scan.problems) {
        std::cerr << problem.to_string() << "\n";
    }
    std::cout << scan.consultations.size() << " usable, " << scan.problems.size() << " cannot be used, "
              << warnings << " plain-language warnings\n";
    return scan.problems.empty() ? 0 : 1;
}

int keygen(const PublishOptions& o) {
    if (std::filesystem::exists(o.secret_key)) {
        // Overwriting a council key would make every kiosk refuse the next bundle.
        return fail_with(o.secret_key + " exists; not overwriting a signing key");
    }
    const bundle::KeyPair pair = bundle::generate_key_pair();
    if (auto w = write_file_atomically(o.secret_key, pair.secret_key + "\n", 0600); !w) {
        return fail_with(w.error());
    }
    if (auto w = write_file_atomically(o.public_key, pair.public_key + "\n", 0644); !w) {
        return fail_with(w.error());
    }
    std::cout << "council_public_key = \"" << pair.public_key << "\"\n";
    std::cerr << "put the line above in each kiosk's [sync] section; keep " << o.secret_key
              << " off the server\n";
    return 0;
}

int sign(const PublishOptions& o) {
    const auto key = read_whole(o.secret_key);
    if (!key) {
        return fail_with("cannot read secret key '" + o.secret_key + "'");
    }
    std::string key_text = *key;
    while (!key_text.empty() && (key_text.back() == '\n' || key_text.back() == '\r')) {
        key_text.pop_back();
    }
    for (const std::string& file : o.files) {
        const auto toml = read_whole(file);
        if (!toml) {
            return fail_with("cannot read '" + file + "'");
        }
        auto signed_bundle = bundle::sign_consultation(*toml, key_text, file);
        if (!signed_bundle) {
            return fail_with(file + ": " + signed_bundle.error());
        }
        const std::filesystem::path target =
            std::filesystem::path(o.out) / (signed_bundle->id + std::string(kBundleSuffix));
        if (auto w = write_file_atomically(target, bundle::encode_bundle(*signed_bundle), 0644); !w) {
            return fail_with(w.error());
        }
        std::cerr << "signed " << signed_bundle->id << " version " << signed_bundle->version << " -> "
                  << target.string() << "\n";
    }
    return 0;
}

int set_result(const PublishOptions& o) {
    const auto content = read_whole(o.text_file);
    if (!content) {
        return fail_with("cannot read '" + o.text_file + "'");
    }
    auto text = parse_result_text_file(*content, o.language);
    if (!text) {
        return fail_with(o.text_file + ": " + text.error());
    }
    auto store = open_store(o.db);
    if (!store) {
        return 1;
    }
    if (auto set = store->set_result_text(o.consultation, *text); !set) {
        return fail_with(set.error().to_string());
    }
    auto result = store->result_for(o.consultation);
    const int64_t revision = result && *result ? (*result)->revision : 0;
    std::cerr << "result of '" << o.consultation << "' in '" << o.language << "' "
              << (text->text.empty() && text->figures.empty() ? "removed" : "set") << " (revision "
              << revision << "); kiosks pick it up at their next sync. Public page: /r/"
              << public_result_code(o.consultation) << "\n";
    return 0;
}

// Every language's result of a consultation withdrawn: the server stops listing it, and kiosks remove it
// on their next complete, signed listing (sync/PROTOCOL.md); the public page loses the text.
int withdraw_result(const PublishOptions& o) {
    auto store = open_store(o.db);
    if (!store) {
        return 1;
    }
    auto result = store->result_for(o.consultation);
    if (!result) {
        return fail_with(result.error().to_string());
    }
    if (!*result) {
        return fail_with("'" + o.consultation + "' has no result to withdraw");
    }
    if (auto removed = store->remove_result(o.consultation); !removed) {
        return fail_with(removed.error().to_string());
    }
    std::cerr << "result of '" << o.consultation << "' withdrawn; kiosks remove it at their next sync\n";
    return 0;
}

void add_secret_key_option(CLI::App* cmd, PublishOptions& o, const std::string& description) {
    cmd->add_option("--secret-key", o.secret_key, description)->required()->type_name("FILE");
}

} // namespace

void add_consultation_commands(Commands& commands) {
    {
        auto o = std::make_shared<PublishOptions>();
        CLI::App* cmd = commands.add(
            "check",
            "every consultation file that cannot be used, and plain-language warnings on the Dutch texts",
            "Exit 1 when a file cannot be used.");
        cmd->add_option("FILE|DIR", o->files, "consultation files (.toml), or folders of them");
        commands.on_run(cmd, [o] { return check(*o); });
    }
    {
        auto o = std::make_shared<PublishOptions>();
        CLI::App* cmd =
            commands.add("keygen", "the council's signing key; keep the secret key off the server");
        add_secret_key_option(cmd, *o, "where to write the secret key (mode 0600); never overwritten");
        cmd->add_option("--public-key", o->public_key, "where to write the public key")
            ->required()
            ->type_name("FILE");
        commands.on_run(cmd, [o] { return keygen(*o); });
    }
    {
        auto o = std::make_shared<PublishOptions>();
        CLI::App* cmd = commands.add("sign", "signed consultation bundles for `serve --bundles DIR`");
        add_secret_key_option(cmd, *o, "the council's secret key (from keygen)");
        cmd->add_option("--out", o->out, "the folder the bundles are written to")
            ->required()
            ->type_name("DIR");
        cmd->add_option("consultation.toml", o->files, "the consultation files to sign")->required();
        commands.on_run(cmd, [o] { return sign(*o); });
    }
    {
        auto o = std::make_shared<PublishOptions>();
        CLI::App* cmd = commands.add(
            "set-result", "\"you said, we did\": the short result text kiosks show on their start screen",
            "The file holds the text, then optionally a line '---' and one 'label: value' figure per line; "
            "an "
            "empty file removes the language.");
        add_db_option(cmd, o->db);
        cmd->add_option("--consultation", o->consultation, "the consultation's id")
            ->required()
            ->type_name("ID");
        cmd->add_option("--lang", o->language, "the language of the text, such as nl")
            ->required()
            ->type_name("LANG");
        cmd->add_option("--text-file", o->text_file, "the result text")->required()->type_name("FILE");
        commands.on_run(cmd, [o] { return set_result(*o); });
    }
    {
        auto o = std::make_shared<PublishOptions>();
        CLI::App* cmd = commands.add("withdraw-result",
                                     "withdraw a consultation's \"you said, we did\" text in every language",
                                     "Kiosks remove it at their next sync, once the server's signed list of "
                                     "results no longer names it.");
        add_db_option(cmd, o->db);
        cmd->add_option("--consultation", o->consultation, "the consultation's id")
            ->required()
            ->type_name("ID");
        commands.on_run(cmd, [o] { return withdraw_result(*o); });
    }
}

} // namespace buurtstem::server_cli
