// Switching consultation behind the PIN (issue 10): the flow's list -> confirm -> command, the choice
// and the console language in the settings file, and the shelf of consultations a kiosk can show (its
// configured folder and, with a council key, the pulled folder), a broken file listed with file:line.
#include <doctest/doctest.h>

#include <fstream>

#include "buurtstem/app/consultation_shelf.hpp"
#include "buurtstem/volunteer/volunteer_flow.hpp"
#include "test_support.hpp"

using namespace buurtstem;
using namespace buurtstem::test;
using namespace std::chrono_literals;

namespace {

const std::filesystem::path kConsultations =
    std::filesystem::path(BUURTSTEM_SOURCE_DIR) / "config/consultations";
const std::vector<std::string> kLanguages{"ar", "en", "nl", "pl", "tr"};

struct Console {
    TempDir dir;
    PinLock lock;
    VolunteerFlow flow;
    Moment now{std::chrono::steady_clock::time_point(100s),
               std::chrono::system_clock::time_point(std::chrono::seconds(1'790'000'000))};

    Console() : lock(make_lock(dir)), flow(lock, VolunteerSettings{}) {}
    static PinLock make_lock(const TempDir& dir) {
        REQUIRE(PinLock::set_pin(dir / "pin", "1357").ok());
        auto lock = PinLock::open(dir / "pin");
        REQUIRE(lock.ok());
        return std::move(lock).value();
    }
    void send(VolunteerEventType type, std::string value = {}) { flow.handle({type, std::move(value)}, now); }
    void open() {
        send(VolunteerEventType::LongPress);
        for (char d : std::string("1357")) {
            send(VolunteerEventType::PinDigit, std::string(1, d));
        }
        send(VolunteerEventType::PinOk);
        REQUIRE(flow.screen() == VolunteerScreen::Home);
    }
};

KioskConfig config_in(const std::filesystem::path& folder) {
    KioskConfig c;
    c.consultation = folder / "minimaregelingen.toml";
    c.assets = std::filesystem::path(BUURTSTEM_SOURCE_DIR) / "assets";
    return c;
}

void copy_shipped(const std::filesystem::path& to) {
    std::filesystem::create_directories(to);
    for (const char* name : {"minimaregelingen.toml", "snelle-peiling.toml"}) {
        std::filesystem::copy_file(kConsultations / name, to / name);
    }
}

} // namespace

TEST_CASE("switching consultation: the list, a confirmation, then one command, and nothing without the PIN") {
    Console c;
    c.send(VolunteerEventType::ChooseConsultation, "snelle-peiling-hulp-weten"); // closed: ignored
    CHECK(c.flow.screen() == VolunteerScreen::Closed);
    c.open();
    c.send(VolunteerEventType::Open, "consultations");
    CHECK(c.flow.screen() == VolunteerScreen::Consultations);
    auto commands = c.flow.take_commands();
    REQUIRE(commands.size() == 1);
    CHECK(commands[0].type == VolunteerCommandType::ListConsultations);

    c.send(VolunteerEventType::ConfirmConsultation); // nothing chosen yet
    CHECK(c.flow.take_commands().empty());
    c.send(VolunteerEventType::ChooseConsultation, "snelle-peiling-hulp-weten");
    CHECK(c.flow.screen() == VolunteerScreen::ConfirmConsultation);
    CHECK(c.flow.chosen_consultation() == "snelle-peiling-hulp-weten");
    c.send(VolunteerEventType::Cancel); // back to the list, nothing switched
    CHECK(c.flow.screen() == VolunteerScreen::Consultations);
    CHECK(c.flow.take_commands().empty());

    c.send(VolunteerEventType::ChooseConsultation, "snelle-peiling-hulp-weten");
    c.send(VolunteerEventType::ConfirmConsultation);
    CHECK(c.flow.screen() == VolunteerScreen::Home);
    commands = c.flow.take_commands();
    REQUIRE(commands.size() == 1);
    CHECK(commands[0].type == VolunteerCommandType::SwitchConsultation);
    CHECK(commands[0].consultation == "snelle-peiling-hulp-weten");

    const VolunteerSettings& s = c.flow.consultation_switched("snelle-peiling-hulp-weten", "/etc/k/x.toml");
    CHECK(s.consultation == "snelle-peiling-hulp-weten");
    CHECK(s.consultation_configured == "/etc/k/x.toml");
}

TEST_CASE("the console language and the consultation choice are kept in the settings file") {
    Console c;
    c.open();
    c.send(VolunteerEventType::Open, "settings");
    c.send(VolunteerEventType::SetConsoleLanguage, "pl");
    auto commands = c.flow.take_commands();
    REQUIRE(commands.size() == 1);
    CHECK(commands[0].type == VolunteerCommandType::SaveSettings);
    VolunteerSettings s = commands[0].settings;
    CHECK(s.console_language == "pl");
    CHECK(s.default_language.empty()); // the residents' start language is another setting

    s.consultation = "snelle-peiling-hulp-weten";
    s.consultation_configured = "/kiosk/\"odd\" name\\consultations/minimaregelingen.toml";
    const auto file = c.dir / "settings.toml";
    REQUIRE(save_volunteer_settings(file, s).ok());
    auto loaded = load_volunteer_settings(file, VolunteerSettings{});
    REQUIRE_MESSAGE(loaded.ok(), loaded.error());
    CHECK(loaded->console_language == "pl");
    CHECK(loaded->consultation == "snelle-peiling-hulp-weten");
    CHECK(loaded->consultation_configured == s.consultation_configured);

    std::ofstream(file) << "console_language = \"pl\"\nconsultation = \"Not A Slug\"\n";
    auto bad = load_volunteer_settings(file, VolunteerSettings{});
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().find("settings.toml:2: 'consultation'") != std::string::npos);
}

TEST_CASE("the shelf lists the folder's consultations, a broken file with its line, and pulled ones only "
          "with a council key") {
    TempDir dir;
    copy_shipped(dir / "installed");
    std::ofstream(dir / "installed/kapot.toml") << "format = 1\nid = \"kapot\"\nversion = \"een\"\n";
    std::ofstream(dir / "installed/README.md") << "not a consultation\n";
    KioskConfig config = config_in(dir / "installed");

    ConsultationShelf shelf = scan_consultation_shelf(config, kLanguages);
    REQUIRE(shelf.usable.size() == 2);
    CHECK(shelf.find("minimaregelingen-ijmond") != nullptr);
    const ShelfEntry* quick = shelf.find("snelle-peiling-hulp-weten");
    REQUIRE(quick != nullptr);
    CHECK(quick->consultation.quick);
    CHECK(quick->consultation.questions.size() == 1);
    REQUIRE(shelf.broken.size() == 1);
    CHECK(shelf.broken[0].to_string().find("kapot.toml:3") != std::string::npos);

    // A language the kiosk has no interface texts for: listed as broken, not choosable.
    shelf = scan_consultation_shelf(config, {"nl", "en"});
    CHECK(shelf.find("snelle-peiling-hulp-weten") == nullptr);
    CHECK(shelf.broken.size() == 3);

    // A newer version pulled from the server replaces the installed one, but only on a kiosk that pulls.
    std::filesystem::create_directories(dir / "pulled");
    std::string quick_text = read_file(kConsultations / "snelle-peiling.toml");
    quick_text.replace(quick_text.find("version = 1"), 11, "version = 2");
    std::ofstream(dir / "pulled/snelle-peiling-hulp-weten.toml") << quick_text;
    config.consultations_folder = dir / "pulled";
    CHECK(
        scan_consultation_shelf(config, kLanguages).find("snelle-peiling-hulp-weten")->consultation.version ==
        1);
    config.council_public_key = "set";
    CHECK(
        scan_consultation_shelf(config, kLanguages).find("snelle-peiling-hulp-weten")->consultation.version ==
        2);
}

TEST_CASE("the kiosk starts with the volunteer's choice while the shelf holds it, else the configured file") {
    TempDir dir;
    copy_shipped(dir / "installed");
    const KioskConfig config = config_in(dir / "installed");
    std::string note;
    auto started = startup_consultation(config, "", kLanguages, note);
    REQUIRE(started.ok());
    CHECK(started->id == "minimaregelingen-ijmond");
    CHECK(note.empty());

    started = startup_consultation(config, "snelle-peiling-hulp-weten", kLanguages, note);
    REQUIRE(started.ok());
    CHECK(started->id == "snelle-peiling-hulp-weten");

    std::filesystem::remove(dir / "installed/snelle-peiling.toml");
    started = startup_consultation(config, "snelle-peiling-hulp-weten", kLanguages, note);
    REQUIRE(started.ok());
    CHECK(started->id == "minimaregelingen-ijmond");
    CHECK(note.find("snelle-peiling-hulp-weten") != std::string::npos);

    std::ofstream(dir / "installed/minimaregelingen.toml") << "format = 1\nid = 3\n";
    started = startup_consultation(config, "", kLanguages, note);
    REQUIRE_FALSE(started.ok());
    CHECK(started.error().find("minimaregelingen.toml:2") != std::string::npos);
}
