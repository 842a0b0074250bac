// What the buurtstem-server commands share (cli.hpp): the command list, --db and the store it opens,
// error output, and small readers.
#include <charconv>
#include <fstream>
#include <iostream>
#include <iterator>

#include "buurtstem/consultation/consultation_loader.hpp"
#include "cli.hpp"

namespace buurtstem::server_cli {

CLI::App* Commands::add(const std::string& name, const std::string& summary, const std::string& details) {
    CLI::App* app = root_.add_subcommand(name, summary);
    if (!details.empty()) {
        app->footer(details);
    }
    return app;
}

void add_db_option(CLI::App* command, std::string& db) {
    command
        ->add_option("--db", db,
                     "an SQLite file (created if missing), or a PostgreSQL database as "
                     "postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=require&...]")
        ->required()
        ->type_name("FILE|URL");
}

CLI::Option* add_optional(CLI::App* command, const std::string& name, std::optional<std::string>& target,
                          const std::string& description) {
    return command->add_option_function<std::string>(
        name, [&target](const std::string& value) { target = value; }, description);
}

void add_consultations_option(CLI::App* command, std::string& folder) {
    command
        ->add_option("--consultations", folder,
                     "the folder of consultation files (.toml); every file in it must be usable "
                     "(`buurtstem-server check DIR` lists what is not)")
        ->type_name("DIR");
}

std::unique_ptr<ServerStore> open_store(const std::string& db) {
    auto store = open_server_store(db);
    if (!store) {
        fail_with(store.error().to_string());
        return nullptr;
    }
    return std::move(store).value();
}

int fail_with(const std::string& message) {
    std::cerr << kProgram << ": " << message << "\n";
    return 1;
}

int usage_error(const std::string& command, const std::string& message) {
    std::cerr << kProgram << ": " << message << "\nRun '" << kProgram << " " << command
              << " --help' for its options.\n";
    return 2;
}

std::optional<int> parse_int(const std::string& text, int low, int high) {
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < low || value > high) {
        return std::nullopt;
    }
    return value;
}

std::optional<std::string> read_whole(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    return std::string(std::istreambuf_iterator<char>(in), {});
}

Result<std::string, std::string> read_key_file(const std::string& path) {
    auto text = read_whole(path);
    if (!text) {
        return fail("cannot read key file '" + path + "'");
    }
    while (!text->empty() && (text->back() == '\n' || text->back() == '\r')) {
        text->pop_back();
    }
    return std::move(text).value();
}

Result<ConsultationCatalog, std::string> load_catalog(const std::string& folder) {
    if (folder.empty()) {
        return ConsultationCatalog{};
    }
    ConsultationScan scan = scan_consultations({folder});
    if (!scan.problems.empty()) {
        std::string message = "cannot use the consultations in " + folder + ":";
        for (const ConsultationError& problem : scan.problems) {
            message += "\n  " + problem.to_string();
        }
        message += "\nfix or remove " + std::string(scan.problems.size() == 1 ? "it" : "them") +
                   "; `buurtstem-server check " + folder + "` lists the same";
        return fail(message);
    }
    return ConsultationCatalog(std::move(scan.consultations));
}

std::optional<CatalogAndStore> open_catalog_and_store(const std::string& folder, const std::string& db) {
    auto catalog = load_catalog(folder);
    if (!catalog) {
        fail_with(catalog.error());
        return std::nullopt;
    }
    auto store = open_store(db);
    if (!store) {
        return std::nullopt;
    }
    return CatalogAndStore{std::move(catalog).value(), std::move(store)};
}

} // namespace buurtstem::server_cli
