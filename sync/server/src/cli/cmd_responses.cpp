// buurtstem-server's commands on stored responses: count, events, export and export-contacts read them;
// import stores a kiosk's USB bundle.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>

#include "buurtstem/core/atomic_file.hpp"
#include "buurtstem/protocol/usb_bundle.hpp"
#include "buurtstem/server/bundle_import.hpp"
#include "buurtstem/server/export.hpp"
#include "cli.hpp"

namespace buurtstem::server_cli {
namespace {

struct ResponseOptions {
    std::string db;
    std::string consultation;
    std::string consultations;
    std::optional<std::string> out;
    std::string separator = ";";
    std::string format = "csv";
    std::string language = "nl";
    std::string file;
};

int count(const ResponseOptions& o) {
    auto store = open_store(o.db);
    if (!store) {
        return 1;
    }
    auto n = store->count_responses(o.consultation);
    if (!n) {
        return fail_with(n.error().to_string());
    }
    std::cout << *n << "\n";
    return 0;
}

int events(const ResponseOptions& o) {
    auto store = open_store(o.db);
    if (!store) {
        return 1;
    }
    auto list = store->event_counts();
    if (!list) {
        return fail_with(list.error().to_string());
    }
    // Tab-separated, one event per line: reads in a terminal and pastes into a spreadsheet. The three
    // channels side by side and never only their sum: a conversation is not a kiosk visit.
    std::cout << "date\tevent\twijk\tmunicipality\tdevice\tkiosk\tconversation\tpaper\n";
    for (const EventCounts& e : *list) {
        std::cout << e.event.date << "\t" << e.event.name << "\t" << e.event.wijk << "\t"
                  << e.event.municipality << "\t" << e.device_id << "\t" << e.kiosk << "\t" << e.facilitated
                  << "\t" << e.paper << "\n";
    }
    return 0;
}

int export_responses(const ResponseOptions& o) {
    if (o.separator.size() != 1) {
        return usage_error("export", "--separator must be one character, such as ';' or ','");
    }
    const auto format = parse_export_format(o.format);
    if (!format) {
        return usage_error("export", "--format must be csv, xlsx or json, not '" + o.format + "'");
    }
    if (*format == ExportFormat::Xlsx && !o.out) {
        return usage_error("export",
                           "an xlsx export needs --out FILE (a zip file does not belong on a terminal)");
    }
    ExportOptions options;
    options.language = o.language;
    options.separator = o.separator[0];
    auto opened = open_catalog_and_store(o.consultations, o.db);
    if (!opened) {
        return 1;
    }
    ServerStore& store = *opened->store;
    const ConsultationCatalog& catalog = opened->catalog;
    const auto written =
        o.out ? export_to_file(*format, store, catalog, o.consultation, options, *o.out)
              : write_export(*format, store, catalog, o.consultation, options, file_sink(stdout));
    if (!written) {
        return fail_with("export of '" + o.consultation + "': " + written.error().to_string());
    }
    if (!o.out && std::fflush(stdout) != 0) {
        return fail_with("export of '" + o.consultation + "': cannot write to standard output");
    }
    return 0;
}

int import_bundle(const ResponseOptions& o) {
    const std::string& file = o.file;
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return fail_with("cannot open " + file + ": " + std::strerror(errno));
    }
    std::string bytes;
    bytes.resize(usb_bundle::kMaxBundleBytes + 1);
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    bytes.resize(static_cast<size_t>(in.gcount()));
    if (bytes.size() > usb_bundle::kMaxBundleBytes) {
        return fail_with(file + " is larger than " + std::to_string(usb_bundle::kMaxBundleBytes) +
                         " bytes; not a bundle this server reads");
    }
    auto opened = open_catalog_and_store(o.consultations, o.db);
    if (!opened) {
        return 1;
    }
    ServerStore& store = *opened->store;
    const ConsultationCatalog& catalog = opened->catalog;
    auto report = import_usb_bundle(store, catalog, bytes);
    if (!report) {
        return fail_with(file + " refused: " + report.error());
    }
    return print_import_report(*report, file, std::cout, std::cerr);
}

int export_contacts(const ResponseOptions& o) {
    if (o.separator.size() != 1) {
        return usage_error("export-contacts", "--separator must be one character, such as ';' or ','");
    }
    auto store = open_store(o.db);
    if (!store) {
        return 1;
    }
    const char sep = o.separator[0];
    std::string csv = std::string("\xEF\xBB\xBF") + "consultation" + sep + "day" + sep + "name" + sep +
                      "phone_or_email\r\n";
    auto visited = store->for_each_contact([&](const ContactEntry& c) {
        csv += csv_field(c.consultation_id, sep) + sep + csv_field(c.day, sep) + sep +
               csv_field(c.name, sep) + sep + csv_field(c.phone_or_email, sep) + "\r\n";
    });
    if (!visited) {
        return fail_with(visited.error().to_string());
    }
    if (!o.out) {
        std::cout << csv;
        return 0;
    }
    // Personal data: readable by the owner only.
    if (auto written = write_file_atomically(*o.out, csv, 0600); !written) {
        return fail_with(written.error());
    }
    return 0;
}

void add_separator_option(CLI::App* cmd, ResponseOptions& o) {
    cmd->add_option("--separator", o.separator, "the CSV field separator: one character, such as ';' or ','")
        ->type_name("CHAR")
        ->capture_default_str();
}

} // namespace

void add_response_commands(Commands& commands) {
    {
        auto o = std::make_shared<ResponseOptions>();
        CLI::App* cmd = commands.add("count", "how many responses are stored (printed alone, for scripts)");
        add_db_option(cmd, o->db);
        cmd->add_option("--consultation", o->consultation, "count only this consultation's")->type_name("ID");
        commands.on_run(cmd, [o] { return count(*o); });
    }
    {
        auto o = std::make_shared<ResponseOptions>();
        CLI::App* cmd = commands.add("export", "a consultation's responses, streamed one row at a time",
                                     "csv (Dutch Excel: ';', BOM), xlsx (raw sheet + a summary sheet per "
                                     "question), json (JSON Lines: a "
                                     "header line, then one object per response); --out: written to a temp "
                                     "file, renamed when whole (mode "
                                     "0600); without --out to standard output (not xlsx).");
        add_db_option(cmd, o->db);
        cmd->add_option("--consultation", o->consultation, "the consultation's id")
            ->required()
            ->type_name("ID");
        cmd->add_option("--format", o->format, "csv, xlsx or json")
            ->type_name("csv|xlsx|json")
            ->capture_default_str();
        add_consultations_option(cmd, o->consultations);
        add_optional(cmd, "--out", o->out, "the file to write (mode 0600)")->type_name("FILE");
        add_separator_option(cmd, *o);
        cmd->add_option("--language", o->language, "the language of the question and option texts")
            ->type_name("LANG")
            ->capture_default_str();
        commands.on_run(cmd, [o] { return export_responses(*o); });
    }
    {
        auto o = std::make_shared<ResponseOptions>();
        CLI::App* cmd =
            commands.add("events", "per event: date, name, wijk, municipality and the responses through the "
                                   "kiosk, in conversation (facilitated) and on paper, side by side");
        add_db_option(cmd, o->db);
        commands.on_run(cmd, [o] { return events(*o); });
    }
    {
        auto o = std::make_shared<ResponseOptions>();
        CLI::App* cmd = commands.add(
            "import", "store the responses of a USB bundle ('buurtstem-kiosk --export-bundle')",
            "Checks the kiosk's signature; importing the same bundle again adds nothing. Exit 3 when some "
            "responses were rejected or not stored yet.");
        cmd->add_option("FILE", o->file, "the bundle")->required();
        add_db_option(cmd, o->db);
        add_consultations_option(cmd, o->consultations);
        commands.on_run(cmd, [o] { return import_bundle(*o); });
    }
    {
        auto o = std::make_shared<ResponseOptions>();
        CLI::App* cmd = commands.add(
            "export-contacts", "the residents who asked to be invited, apart from every response (CSV)");
        add_db_option(cmd, o->db);
        add_optional(cmd, "--out", o->out, "the file to write (mode 0600); standard output without it")
            ->type_name("FILE");
        add_separator_option(cmd, *o);
        commands.on_run(cmd, [o] { return export_contacts(*o); });
    }
}

} // namespace buurtstem::server_cli
