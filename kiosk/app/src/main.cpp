// buurtstem-kiosk: the resident-facing kiosk.
//
//   buurtstem-kiosk [--config FILE] [--fullscreen] [--window 1280x800] [--database FILE]
//                   [--consultation FILE] [--no-sync] [--automation-file FILE]
//   buurtstem-kiosk --sync-now [--config FILE] [--database FILE]      upload pending responses and exit
//   buurtstem-kiosk --enrol CODE [--config FILE]                      get this kiosk's token and exit
//   buurtstem-kiosk --set-pin [--config FILE]                         the volunteer PIN, read from stdin
//   buurtstem-kiosk --export-bundle FILE [--config FILE] [--database FILE]  pending responses, signed, to
//   FILE
//
// [SECTION] Index
//   Program options
//   Headless sync (--sync-now)
//   Kiosk session: consultation + store + flow + sync worker
//   Read-aloud
//   Volunteer console: PIN, commands
//   Frame loop
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>

#include "buurtstem/app/kiosk_config.hpp"
#include "buurtstem/consultation/consultation_loader.hpp"
#include "buurtstem/core/clock.hpp"
#include "buurtstem/core/command_line.hpp"
#include "buurtstem/flow/contact_flow.hpp"
#include "buurtstem/flow/resident_flow.hpp"
#include "buurtstem/protocol/usb_bundle.hpp"
#include "buurtstem/speech/speech_worker.hpp"
#include "buurtstem/store/bundle_export.hpp"
#include "buurtstem/store/outbox.hpp"
#include "buurtstem/store/response_store.hpp"
#include "buurtstem/sync/consultation_pull.hpp"
#include "buurtstem/sync/enrolment_client.hpp"
#include "buurtstem/sync/result_pull.hpp"
#include "buurtstem/sync/sync_worker.hpp"
#include "buurtstem/ui/automation.hpp"
#include "buurtstem/ui/contact_ui.hpp"
#include "buurtstem/ui/kiosk_ui.hpp"
#include "buurtstem/ui/screen_sentences.hpp"
#include "buurtstem/ui/volunteer_ui.hpp"
#include "buurtstem/volunteer/pin_lock.hpp"
#include "glfw_window.hpp"
#include "startup_trace.hpp"
#include "volunteer_console.hpp"

using namespace buurtstem;

namespace {

//-----------------------------------------------------------------------------
// [SECTION] Program options
//-----------------------------------------------------------------------------

// BUURTSTEM_STARTUP_TRACE=1 prints the steps to the first frame (startup_trace.hpp); made before main().
const StartupTrace g_startup;

// Set by the signal thread below; the frame loop checks it after every wake.
std::atomic<bool> g_stop_requested{false};

// SIGTERM and SIGINT are taken by a thread of their own (sigwait) instead of a handler: a handler may not
// call glfwPostEmptyEvent, and without that wake the frame loop could not sleep longer than a polling
// interval. Construct before any other thread (they inherit the blocked mask); destroy before GLFW.
class StopSignals {
public:
    StopSignals() {
        sigemptyset(&set_);
        sigaddset(&set_, SIGTERM);
        sigaddset(&set_, SIGINT);
        sigaddset(&set_, SIGUSR1); // our own: ends the thread when the kiosk closes for another reason
        pthread_sigmask(SIG_BLOCK, &set_, nullptr);
        thread_ = std::thread([this] {
            int signal = 0;
            while (sigwait(&set_, &signal) == 0) {
                if (signal != SIGUSR1) {
                    g_stop_requested = true;
                    wake_frame_loop();
                }
                if (signal == SIGUSR1 || g_stop_requested) {
                    return;
                }
            }
        });
    }
    ~StopSignals() {
        if (!g_stop_requested) {
            pthread_kill(thread_.native_handle(), SIGUSR1);
        }
        thread_.join();
    }
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

private:
    sigset_t set_{};
    std::thread thread_;
};

struct Options {
    KioskConfig config;
    WindowOptions window;
    bool sync_now = false;
    bool no_sync = false;
    bool set_pin = false;
    std::optional<std::string> automation_file;
    std::optional<std::string> enrol_code;
    std::optional<std::string> export_bundle;
};

// The command line as CLI11 reads it (buurtstem/core/command_line.hpp: --help, exit 2 naming a wrong
// option): the modes straight into `options`; what needs the configuration file first, apart.
struct CommandLine {
    std::string config_path = default_kiosk_config_path().string();
    std::optional<std::string> database;
    std::optional<std::string> consultation;
    std::optional<std::string> window;
    Options options;
};

void add_optional(CLI::App& app, const std::string& name, std::optional<std::string>& target,
                  const std::string& description, const std::string& type) {
    app.add_option_function<std::string>(
           name, [&target](const std::string& value) { target = value; }, description)
        ->type_name(type);
}

// Each option's text is what `buurtstem-kiosk --help` prints.
void describe_options(CLI::App& app, CommandLine& c) {
    Options& o = c.options;
    app.add_option("--config", c.config_path, "the kiosk configuration (TOML)")
        ->type_name("FILE")
        ->capture_default_str();
    add_optional(app, "--database", c.database, "the response store, in place of the configuration's",
                 "FILE");
    add_optional(app, "--consultation", c.consultation,
                 "the consultation to show, in place of the configuration's", "FILE");
    app.add_flag("--fullscreen", o.window.fullscreen, "fill the screen (the kiosk in use)");
    add_optional(app, "--window", c.window, "the window's size when not fullscreen, such as 1280x800", "WxH");
    app.add_flag("--no-sync", o.no_sync, "keep every response on this kiosk (no uploads)");
    add_optional(app, "--automation-file", o.automation_file,
                 "write the map of what is on screen and where to tap to FILE (for tests and the demo)",
                 "FILE");
    app.add_flag("--sync-now", o.sync_now, "upload the pending responses and exit");
    add_optional(
        app, "--enrol", o.enrol_code,
        "exchange a one-time code from 'buurtstem-server enrol-code' for this kiosk's token, and exit",
        "CODE");
    app.add_flag("--set-pin", o.set_pin,
                 "read the volunteers' PIN (4-8 digits) from standard input, store its hash ([volunteer] "
                 "pin_file, by default volunteer.pin beside the database), and exit");
    add_optional(app, "--export-bundle", o.export_bundle,
                 "write every pending response to FILE (a USB stick), signed with this kiosk's key, for "
                 "'buurtstem-server import FILE' when there is no network, and exit",
                 "FILE");
}

// The options with the configuration they name loaded; an error is a message for the user (exit 2).
Result<Options, std::string> options_from(CommandLine c) {
    auto config = load_kiosk_config(c.config_path);
    if (!config) {
        return fail(config.error());
    }
    Options o = std::move(c.options);
    o.config = std::move(config).value();
    if (c.database) {
        o.config.database = *c.database;
    }
    if (c.consultation) {
        o.config.consultation = *c.consultation;
    }
    if (const auto& size = c.window) {
        if (std::sscanf(size->c_str(), "%dx%d", &o.window.width, &o.window.height) != 2 ||
            o.window.width < 320 || o.window.height < 240) {
            return fail("--window must look like 1280x800, not '" + *size + "'");
        }
    }
    return o;
}

//-----------------------------------------------------------------------------
// [SECTION] Headless sync (--sync-now)
//-----------------------------------------------------------------------------

// Pulls signed consultations when the configuration has a council key; nothing to do otherwise.
// `pending` (the outbox's count) goes to the server with the pulls, for the council's devices page.
Status<SyncError> pull_if_configured(const KioskConfig& config, const SyncSettings& sync,
                                     std::optional<int64_t> pending,
                                     const std::function<bool()>& should_stop = {}) {
    const PullSettings pull{sync.server_url,
                            sync.token,
                            sync.ca_file,
                            config.council_public_key,
                            config.consultations_folder,
                            sync.connect_timeout_seconds,
                            sync.timeout_seconds,
                            should_stop,
                            sync.pinned_public_key,
                            pending};
    // "You said, we did": result texts, signed with the server's result key (result_bundle.hpp).
    if (!config.result_public_key.empty()) {
        auto results = pull_results(pull, config.result_public_key);
        if (!results) {
            return fail(results.error());
        }
        for (const std::string& updated : results->updated) {
            std::cerr << "buurtstem-kiosk: result " << updated << " received\n";
        }
        for (const std::string& why : results->refused) {
            std::cerr << "buurtstem-kiosk: result refused: " << why << "\n";
        }
        for (const std::string& id : results->removed) {
            std::cerr << "buurtstem-kiosk: result of " << id << " removed: the server no longer lists it\n";
        }
    }
    if (config.council_public_key.empty()) {
        return Unit{};
    }
    auto report = pull_consultations(pull);
    if (!report) {
        return fail(report.error());
    }
    for (const std::string& updated : report->updated) {
        std::cerr << "buurtstem-kiosk: consultation " << updated
                  << " received; it is shown from the next start\n";
    }
    // The previous version stays; a person must look at why the new one was refused.
    for (const std::string& why : report->refused) {
        std::cerr << "buurtstem-kiosk: consultation refused: " << why << "\n";
    }
    return Unit{};
}

int enrol(const KioskConfig& config, const std::string& code) {
    if (!config.server_url) {
        std::cerr << "buurtstem-kiosk: no [sync] server in the kiosk configuration; cannot enrol\n";
        return 1;
    }
    // The bundle-signing key is made now if it is not there yet, so the server learns it with the code.
    auto key = usb_bundle::load_or_create_device_key(config.device_key_file);
    if (!key) {
        std::cerr << "buurtstem-kiosk: " << key.error() << "\n";
        return 1;
    }
    EnrolSettings settings{*config.server_url, config.ca_file.string(), config.device_id, code,
                           config.token_file};
    settings.public_key_hex = key->public_key_hex;
    auto enrolled = enrol_kiosk(settings);
    if (!enrolled) {
        std::cerr << "buurtstem-kiosk: enrolment failed: " << enrolled.error().to_string() << "\n";
        return 1;
    }
    std::cout << "enrolled as device '" << *enrolled << "'; token written to " << config.token_file.string()
              << "\n";
    return 0;
}

int export_bundle(const KioskConfig& config, const std::string& file) {
    auto written = export_pending_bundle({config.database, config.device_key_file, config.device_id, file});
    if (!written) {
        std::cerr << "buurtstem-kiosk: no bundle: " << written.error() << "\n";
        return 1;
    }
    std::cout << written->responses << " pending responses written to " << written->file.string()
              << " (signed with " << config.device_key_file.string() << ")\n"
              << "a kiosk enrolled before it had this key: on the server, once,\n"
              << "  buurtstem-server device-key --db FILE --device " << config.device_id << " --key "
              << written->public_key_hex << "\n";
    return 0;
}

int sync_now(const KioskConfig& config) {
    auto settings = sync_settings_for(config);
    if (!settings) {
        std::cerr << "buurtstem-kiosk: " << settings.error() << "\n";
        return 1;
    }
    auto outbox = Outbox::open(config.database);
    if (!outbox) {
        std::cerr << "buurtstem-kiosk: " << outbox.error().to_string() << "\n";
        return 1;
    }
    SyncClient client(*settings, std::move(outbox).value());
    auto report = client.sync_all();
    auto counts = client.counts();
    if (report) {
        const std::optional<int64_t> pending =
            counts ? std::optional<int64_t>(counts->pending) : std::nullopt;
        if (auto pulled = pull_if_configured(config, *settings, pending); !pulled) {
            report = fail(pulled.error());
        }
    }
    if (!report) {
        std::cerr << "buurtstem-kiosk: sync failed: " << report.error().to_string() << "\n";
        return 1;
    }
    std::cout << "sync: " << report->accepted << " accepted, " << report->rejected << " rejected in "
              << report->batches << " batches";
    if (report->held > 0) {
        std::cout << "; " << report->held << " held back by the server";
    }
    if (counts) {
        std::cout << "; now " << counts->pending << " pending, " << counts->synced << " synced, "
                  << counts->rejected << " rejected";
    }
    std::cout << "\n";
    // Say why for each response the server did not take, so a volunteer can act on it.
    if (auto outbox_again = Outbox::open(config.database)) {
        if (auto aside = outbox_again->set_aside(20)) {
            for (const SetAsideResponse& r : *aside) {
                std::cout << (r.rejected ? "rejected " : "held ") << r.id << " (" << r.consultation_id << " v"
                          << r.consultation_version << "): " << r.reason << "\n";
            }
        }
    }
    return 0;
}

//-----------------------------------------------------------------------------
// [SECTION] Kiosk session: consultation + store + flow + sync worker
//-----------------------------------------------------------------------------

Channel to_channel(EntryChannel channel) {
    switch (channel) {
    case EntryChannel::Kiosk:
        return Channel::Kiosk;
    case EntryChannel::Facilitated:
        return Channel::Facilitated;
    case EntryChannel::Paper:
        return Channel::Paper;
    }
    return Channel::Kiosk;
}

// Everything a running kiosk holds besides the window. When the consultation or the store cannot be
// opened, `broken` says why and the kiosk shows that instead of taking answers it could not keep.
struct KioskSession {
    KioskConfig config;
    Catalog texts;
    std::optional<Consultation> consultation;
    std::optional<ResponseStore> store;
    std::unique_ptr<ResidentFlow> flow;
    std::string broken;
    // "You said, we did": the verified result text and the public results page's address.
    ui::ResultView result;
    std::optional<std::filesystem::file_time_type> result_file_time;
    bool result_loaded = false;

    // (Re)reads the result file the sync worker keeps; true when what the screens show changed.
    bool load_result() {
        if (!consultation) {
            return false;
        }
        const std::filesystem::path file = config.consultations_folder / (consultation->id + ".result.json");
        std::error_code ec;
        const auto time = std::filesystem::last_write_time(file, ec);
        const std::optional<std::filesystem::file_time_type> now_time =
            ec ? std::nullopt : std::optional<std::filesystem::file_time_type>(time);
        if (result_loaded && now_time == result_file_time) {
            return false;
        }
        result_loaded = true;
        result_file_time = now_time;
        result = ui::ResultView{};
        if (!config.public_url.empty()) {
            result.address = public_result_address(config.public_url, consultation->id);
        }
        std::string why;
        if (auto loaded = load_pulled_result(config.consultations_folder, consultation->id,
                                             config.result_public_key, &why)) {
            for (const ResultText& text : loaded->texts) {
                ui::ResultTextView view{text.text, {}};
                for (const ResultFigure& figure : text.figures) {
                    view.figures.emplace_back(figure.label, figure.value);
                }
                result.by_language.emplace(text.language, std::move(view));
            }
        } else if (!why.empty()) {
            std::cerr << "buurtstem-kiosk: result not shown: " << why << "\n";
        }
        return true;
    }

    // How the response being filled in came in (the volunteer console sets it for one response).
    EntryChannel channel = EntryChannel::Kiosk;
    std::string note;
    // The invitation question after a consultation that asks for it; the response is stored by then.
    ContactFlow contact;
    bool awaiting_contact = false;

    // A fresh resident flow with the volunteer's settings: the console closed, or an assisted response.
    void restart_flow(const VolunteerSettings& settings) {
        if (!consultation) {
            return;
        }
        FlowTimings timings{settings.idle_warning, config.idle_reset, config.thanks};
        timings.keep_unfinished = settings.unfinished == UnfinishedAnswers::Keep;
        flow = std::make_unique<ResidentFlow>(*consultation, timings);
        flow->set_start_language(settings.default_language);
        flow->set_start_text_size(settings.text_size);
        contact = ContactFlow{};
        awaiting_contact = false;
    }

    // The invitation question is over (answered, declined, or walked away from): keep what was given,
    // apart from the answers, and show the thank-you.
    void contact_done(Moment now) {
        if (auto entry = contact.take_submitted()) {
            // Never logged: a name and a phone number do not belong in a log file.
            auto kept =
                store->add_contact(ContactDetails{consultation->id, entry->name, entry->phone_or_email});
            if (kept) {
                std::cerr
                    << "buurtstem-kiosk: a resident asked to be invited (kept apart from the answers)\n";
            } else {
                std::cerr << "buurtstem-kiosk: an invitation request was not kept: "
                          << kept.error().to_string() << "\n";
            }
        }
        awaiting_contact = false;
        flow->saved(now);
    }

    void commit_finished(Moment now, SyncWorker* worker) {
        if (awaiting_contact) {
            return; // stored already; the invitation question is on screen
        }
        const CompletedResponse response =
            to_completed_response(*consultation, flow->finished_answers(), config.device_id);
        auto committed = store->commit(response, to_channel(channel), note);
        // A retry after a commit that did reach the disk (an I/O error on COMMIT itself) finds its own
        // id: the response is stored, which is all the resident needs.
        if (!committed && committed.error().kind == StoreError::Kind::Duplicate) {
            committed = Unit{};
        }
        if (!committed) {
            std::cerr << "buurtstem-kiosk: response not stored: " << committed.error().to_string() << "\n";
            flow->save_failed(now);
            return;
        }
        std::cerr << "buurtstem-kiosk: stored response " << response.id << " (" << response.answers.size()
                  << " answers, " << to_string(channel) << ")\n";
        if (consultation->ask_contact && channel != EntryChannel::Paper) {
            awaiting_contact = true;
            contact.begin(now);
        } else {
            flow->saved(now);
        }
        if (worker != nullptr) {
            worker->wake();
        }
    }
};

std::unique_ptr<SyncWorker> start_sync_worker(const KioskConfig& config) {
    auto settings = sync_settings_for(config);
    if (!settings) {
        std::cerr << "buurtstem-kiosk: sync is off: " << settings.error() << "\n";
        return nullptr;
    }
    auto outbox = Outbox::open(config.database);
    if (!outbox) {
        std::cerr << "buurtstem-kiosk: sync is off: " << outbox.error().to_string() << "\n";
        return nullptr;
    }
    // The worker thread may only wake the frame loop; glfwPostEmptyEvent is safe from any thread.
    const SyncSettings sync = *settings;
    return std::make_unique<SyncWorker>(
        SyncClient(std::move(settings).value(), std::move(outbox).value()), config.sync_interval,
        [] { wake_frame_loop(); },
        [config, sync](const std::function<bool()>& should_stop, std::optional<int64_t> pending) {
            return pull_if_configured(config, sync, pending, should_stop);
        });
}

void report_sync_changes(const SyncWorker& worker, std::string& last_line) {
    const SyncStatus status = worker.status();
    if (status.running) {
        return;
    }
    std::string line = "sync: " + std::to_string(status.counts.pending) + " pending (" +
                       std::to_string(status.counts.held) + " held), " +
                       std::to_string(status.counts.synced) + " synced, " +
                       std::to_string(status.counts.rejected) + " rejected";
    if (!status.last_result.empty()) {
        line += "; last pass: " + status.last_result;
    }
    if (status.failures_in_a_row > 0) {
        line +=
            "; failed " + std::to_string(status.failures_in_a_row) + " times in a row, trying again later";
    }
    if (status.last_error && status.last_error->kind == SyncError::Kind::Revoked) {
        line += "; " + status.last_error->to_string();
    }
    if (line != last_line) {
        std::cerr << "buurtstem-kiosk: " << line << "\n";
        last_line = line;
    }
}

//-----------------------------------------------------------------------------
// [SECTION] Read-aloud
//-----------------------------------------------------------------------------

ui::SpeechView speech_view(speech::SpeechState state) {
    switch (state) {
    case speech::SpeechState::Idle:
        return ui::SpeechView::Idle;
    case speech::SpeechState::Preparing:
        return ui::SpeechView::Preparing;
    case speech::SpeechState::Playing:
        return ui::SpeechView::Playing;
    case speech::SpeechState::Paused:
        return ui::SpeechView::Paused;
    }
    return ui::SpeechView::Idle;
}

// What the current screen says, each sentence with the voice that reads it (ui::ScreenSpeech).
std::vector<speech::Sentence> screen_speech(const ResidentFlow& flow, const Catalog& texts,
                                            const ui::ResultView* result) {
    std::vector<speech::Sentence> out;
    for (ui::SpokenSentence& s : ui::ScreenSpeech(flow, texts, result)) {
        out.push_back({std::move(s.text), std::move(s.language)});
    }
    return out;
}

// The resident's side of read-aloud, applied after each frame: the speaker button, an answer, a new screen.
class ReadAloud {
public:
    ReadAloud(const KioskConfig& config)
        : automatic_(config.speak_automatically),
          worker_([] { wake_frame_loop(); },
                  config.speech_to_device ? speech::AudioOutput::Device : speech::AudioOutput::Clock) {}

    // Before a frame: what the speaker button shows and the map says.
    void show(ui::KioskUiContext& ctx) {
        const speech::SpeechStatus status = worker_.status();
        ctx.speech = speech_view(status.state);
        if (ctx.automation != nullptr) {
            const char* state = speech::to_string(status.state);
            ctx.automation->set_field("speech", std::string("\"") + state + "\"");
            ctx.automation->set_field("speaking", status.state == speech::SpeechState::Playing ||
                                                          status.state == speech::SpeechState::Preparing
                                                      ? "true"
                                                      : "false");
            // Which reading this is (one per speak: a repeat after a pause is a new one, from the top) and
            // how long it lasts once synthesised (0 before): a test tells a repeat from a resumption.
            ctx.automation->set_field("speech_reading", std::to_string(status.request));
            ctx.automation->set_field("speech_ms", std::to_string(std::lround(status.seconds * 1000.0)));
        }
        if (status.output != last_output_ && status.output != "not opened yet") {
            std::cerr << "buurtstem-kiosk: read-aloud plays to " << status.output << "\n";
            last_output_ = status.output;
        }
        if (status.last_error != last_error_ && !status.last_error.empty()) {
            // The button stays; the volunteer learns why it said nothing (a language without a voice).
            std::cerr << "buurtstem-kiosk: read-aloud failed: " << status.last_error << "\n";
        }
        last_error_ = status.last_error;
    }

    // After the flow has taken the frame's events.
    void after_frame(const ResidentFlow& flow, const Catalog& texts, ui::KioskUiContext& ctx,
                     const std::vector<FlowEvent>& events) {
        const std::string key = ui::ScreenSpeechKey(flow);
        const bool answered = std::any_of(events.begin(), events.end(),
                                          [](const FlowEvent& e) { return e.type == FlowEventType::Answer; });
        if (key != screen_key_) {
            // Speech follows the screen: what was being read belongs to a screen that is gone.
            screen_key_ = key;
            worker_.stop();
            if (automatic_ && flow.screen() == Screen::Question) {
                worker_.speak(screen_speech(flow, texts, ctx.result));
            }
        } else if (answered) {
            worker_.stop(); // the resident has heard enough
        }
        if (ctx.speak_tapped) {
            ctx.speak_tapped = false;
            const speech::SpeechState state = worker_.status().state;
            if (state == speech::SpeechState::Playing || state == speech::SpeechState::Preparing) {
                worker_.pause();
            } else {
                worker_.speak(screen_speech(flow, texts, ctx.result)); // from the top
            }
        }
    }

    // The volunteer console opened: nothing of the residents' screen may go on being read.
    void silence() {
        worker_.stop();
        screen_key_.clear();
    }
    void set_automatic(bool automatic) { automatic_ = automatic; }

private:
    bool automatic_;
    speech::SpeechWorker worker_;
    std::string screen_key_;
    std::string last_output_;
    std::string last_error_;
};

//-----------------------------------------------------------------------------
// [SECTION] Volunteer console: PIN, commands
//-----------------------------------------------------------------------------

// --set-pin: the PIN comes on standard input (one line), never on the command line, where `ps` and the
// shell history would show it.
int set_pin(const KioskConfig& config) {
    std::string pin;
    std::getline(std::cin, pin);
    while (!pin.empty() && (pin.back() == '\r' || pin.back() == ' ')) {
        pin.pop_back();
    }
    auto written = PinLock::set_pin(config.volunteer_pin_file, pin);
    if (!written) {
        std::cerr << "buurtstem-kiosk: PIN not set: " << written.error() << "\n";
        return 1;
    }
    std::cout << "volunteer PIN set (" << config.volunteer_pin_file.string()
              << ", only its hash is stored)\n";
    return 0;
}

// Where "Naar USB-stick" writes: [volunteer] usb_folder, else the first stick mounted under /media/<user>
// or /run/media/<user> (as desktop auto-mounters do), else /media/*.
std::optional<std::filesystem::path> find_usb_folder(const KioskConfig& config) {
    if (!config.usb_folder.empty()) {
        return config.usb_folder;
    }
    std::vector<std::filesystem::path> roots;
    if (const char* user = std::getenv("USER")) {
        roots.push_back(std::filesystem::path("/media") / user);
        roots.push_back(std::filesystem::path("/run/media") / user);
    }
    roots.emplace_back("/media");
    for (const auto& root : roots) {
        std::error_code ec;
        for (const auto& entry : std::filesystem::directory_iterator(root, ec)) {
            if (entry.is_directory(ec) && access(entry.path().c_str(), W_OK) == 0) {
                return entry.path();
            }
        }
    }
    return std::nullopt;
}

std::string export_to_usb(const KioskSession& session, const std::string& lang) {
    const KioskConfig& config = session.config;
    const auto folder = find_usb_folder(config);
    if (!folder) {
        return session.texts.format(lang, "volunteer.export_failed",
                                    {{"reason", session.texts.text(lang, "volunteer.no_usb")}});
    }
    std::string stamp = now_iso8601_utc();
    std::replace(stamp.begin(), stamp.end(), ':', '-');
    const std::filesystem::path file = *folder / ("buurtstem-" + config.device_id + "-" + stamp + ".bundle");
    auto written = export_pending_bundle({config.database, config.device_key_file, config.device_id, file});
    if (!written) {
        std::cerr << "buurtstem-kiosk: USB export failed: " << written.error() << "\n";
        return session.texts.format(lang, "volunteer.export_failed", {{"reason", written.error()}});
    }
    std::cerr << "buurtstem-kiosk: " << written->responses << " responses exported to " << file.string()
              << "\n";
    return session.texts.format(lang, "volunteer.export_done",
                                {{"count", std::to_string(written->responses)}, {"file", file.string()}});
}

// The volunteer confirmed `id` on the list: the residents' screens start afresh with it (nothing of a
// resident who was half-way is carried over), and the choice is kept in the console's settings file for
// the next start. The file is read again here: it may have changed (or broken) since the list was shown.
// An event under way goes on: an event is a place and a day, and its counts are per consultation.
// Returns the line for the console's home screen.
std::string switch_consultation(KioskSession& session, VolunteerConsole& console, const std::string& id) {
    const std::string lang = console.language();
    console.rescan(session.texts.languages());
    const ShelfEntry* entry = console.shelf().find(id);
    if (entry == nullptr || !session.store) {
        std::string reason = "'" + id + "'";
        for (const ConsultationError& problem : console.shelf().broken) {
            reason += "; " + problem.to_string();
        }
        std::cerr << "buurtstem-kiosk: consultation not switched: " << reason << "\n";
        return session.texts.format(lang, "volunteer.consultation_failed", {{"reason", reason}});
    }
    // The flow holds a reference to the consultation: it goes first.
    session.flow.reset();
    session.consultation = entry->consultation;
    session.result_loaded = false;
    session.load_result();
    session.channel = EntryChannel::Kiosk;
    session.note.clear();
    session.restart_flow(console.settings());
    const VolunteerSettings& settings =
        console.flow().consultation_switched(id, session.config.consultation.string());
    if (auto saved = console.save(settings); !saved) {
        std::cerr << "buurtstem-kiosk: the consultation choice is not kept after a restart: " << saved.error()
                  << "\n";
    }
    const Consultation& c = *session.consultation;
    std::cerr << "buurtstem-kiosk: a volunteer switched to " << c.id << " version " << c.version << " ("
              << c.source << ")\n";
    return session.texts.format(lang, "volunteer.consultation_switched",
                                {{"title", c.title.in(lang, c.default_language())}});
}

// What the window must do after the console's commands.
enum class ConsoleOutcome { Continue, Quit };

ConsoleOutcome carry_out(const std::vector<VolunteerCommand>& commands, KioskSession& session,
                         VolunteerConsole& console, SyncWorker* worker) {
    for (const VolunteerCommand& command : commands) {
        const std::string lang = console.language();
        switch (command.type) {
        case VolunteerCommandType::StartEvent:
            if (!session.store) {
                break;
            }
            if (auto started = session.store->start_event(command.form.name, command.form.wijk,
                                                          command.form.municipality)) {
                std::cerr << "buurtstem-kiosk: event started: " << started->name << " (" << started->date
                          << ")\n";
                console.set_notice(
                    session.texts.format(lang, "volunteer.event_started", {{"name", started->name}}));
            } else {
                console.set_notice(session.texts.format(lang, "volunteer.event_failed",
                                                        {{"reason", started.error().to_string()}}));
            }
            break;
        case VolunteerCommandType::EndEvent:
            if (!session.store) {
                break;
            }
            if (auto ended = session.store->end_event()) {
                std::cerr << "buurtstem-kiosk: event ended\n";
                console.set_notice(session.texts.text(lang, "volunteer.event_ended"));
            } else {
                console.set_notice(session.texts.format(lang, "volunteer.event_failed",
                                                        {{"reason", ended.error().to_string()}}));
            }
            break;
        case VolunteerCommandType::SyncNow:
            if (worker != nullptr) {
                worker->sync_now();
            }
            break;
        case VolunteerCommandType::Export:
            console.set_notice(export_to_usb(session, lang));
            break;
        case VolunteerCommandType::SaveSettings:
            if (auto saved = console.save(command.settings); !saved) {
                std::cerr << "buurtstem-kiosk: settings not saved: " << saved.error() << "\n";
            }
            break;
        case VolunteerCommandType::BeginAssisted:
            session.restart_flow(console.settings());
            session.channel = command.channel;
            session.note = command.note;
            break;
        case VolunteerCommandType::ResumeResidents:
            session.restart_flow(console.settings());
            session.channel = EntryChannel::Kiosk;
            session.note.clear();
            break;
        case VolunteerCommandType::ListConsultations:
            console.rescan(session.texts.languages());
            break;
        case VolunteerCommandType::ClearContacts:
            if (!session.store) {
                break;
            }
            if (auto cleared = session.store->clear_delivered_contacts()) {
                std::cerr << "buurtstem-kiosk: " << *cleared
                          << " contacts the server confirmed were wiped from the kiosk\n";
                console.set_notice(session.texts.format(lang, "volunteer.contacts_cleared",
                                                        {{"count", std::to_string(*cleared)}}));
            } else {
                console.set_notice(session.texts.format(lang, "volunteer.event_failed",
                                                        {{"reason", cleared.error().to_string()}}));
            }
            break;
        case VolunteerCommandType::SwitchConsultation:
            console.set_notice(switch_consultation(session, console, command.consultation));
            break;
        case VolunteerCommandType::Quit:
            std::cerr << "buurtstem-kiosk: closed by a volunteer (PIN given)\n";
            return ConsoleOutcome::Quit;
        }
    }
    return ConsoleOutcome::Continue;
}

// An assisted (facilitated or paper) response is over when its thank-you ends or the flow goes back to
// the start without one (stopped, or idle): the console takes over again.
class AssistedWatch {
public:
    bool ended(const ResidentFlow& flow) {
        const Screen now = flow.screen();
        const bool over = (last_ == Screen::Thanks && now != Screen::Thanks) ||
                          (last_ == Screen::Question && now == Screen::Start);
        last_ = now;
        return over;
    }
    void reset(const ResidentFlow& flow) { last_ = flow.screen(); }

private:
    Screen last_ = Screen::Start;
};

//-----------------------------------------------------------------------------
// [SECTION] Frame loop
//-----------------------------------------------------------------------------

bool had_input(const ImGuiIO& io) {
    for (int button = 0; button < 3; ++button) {
        if (io.MouseClicked[button] || io.MouseDown[button]) {
            return true;
        }
    }
    return io.InputQueueCharacters.Size > 0 || io.MouseDelta.x != 0.0f || io.MouseDelta.y != 0.0f;
}

// What the screen shows apart from the resident's own input: when it differs from the last frame's, the
// screen must be drawn again (a timer moved the flow on, or the idle countdown's number changed).
std::string screen_signature(const ResidentFlow& flow, Moment now) {
    return ui::ScreenSpeechKey(flow) + "|" + std::to_string(flow.idle_seconds_left(now));
}

// The interface texts, the consultation (or why it is broken), the store and the first resident flow.
// Runs on a thread of its own while the main thread opens the window (GLFW's work must stay on the main
// thread): ~3 ms of CPU less on the way to the first frame (bench/kiosk_figures.cpp). False (after saying
// why) when the kiosk cannot run at all.
bool load_session(KioskSession& s, const VolunteerConsole& console) {
    auto texts = Catalog::load_folder(s.config.assets / "i18n");
    if (!texts) {
        std::cerr << "buurtstem-kiosk: " << texts.error() << "\n";
        return false;
    }
    s.texts = std::move(texts).value();
    g_startup.mark("interface texts loaded");

    // A volunteer's choice of consultation (kept in the console's settings file) decides which one the
    // residents see.
    {
        const VolunteerSettings& chosen = console.settings();
        const bool choice_holds = chosen.consultation_configured == s.config.consultation.string();
        std::string note;
        auto loaded = startup_consultation(s.config, choice_holds ? chosen.consultation : std::string(),
                                           s.texts.languages(), note);
        if (!note.empty()) {
            std::cerr << "buurtstem-kiosk: " << note << "\n";
        }
        if (loaded) {
            s.consultation = std::move(loaded).value();
            const Consultation& c = *s.consultation;
            std::error_code ec;
            const bool pulled = !s.config.consultations_folder.empty() &&
                                std::filesystem::equivalent(std::filesystem::path(c.source).parent_path(),
                                                            s.config.consultations_folder, ec);
            std::cerr << "buurtstem-kiosk: showing " << c.id << " version " << c.version
                      << (pulled ? " from the server" : " (" + c.source + ")") << "\n";
        } else {
            s.broken = loaded.error();
        }
    }
    g_startup.mark("consultation loaded");
    if (s.broken.empty()) {
        if (auto store = ResponseStore::open(s.config.database)) {
            s.store.emplace(std::move(store).value());
        } else {
            s.broken = store.error().to_string();
        }
    }
    if (!s.broken.empty()) {
        std::cerr << "buurtstem-kiosk: cannot take answers: " << s.broken << "\n";
    }
    g_startup.mark("store opened");
    if (s.broken.empty()) {
        s.restart_flow(console.settings());
    }
    return true;
}

int run_kiosk(Options& options) {
    KioskSession session{options.config, {},    std::nullopt,        std::nullopt, nullptr,       {},   {},
                         std::nullopt,   false, EntryChannel::Kiosk, {},           ContactFlow(), false};
    const KioskConfig& config = session.config;
    g_startup.mark("options read");

    GlfwLibrary glfw;
    StopSignals stop_signals; // after GLFW (it wakes the loop through it), before the worker threads
    if (!glfw.error().empty()) {
        std::cerr << "buurtstem-kiosk: cannot start the window system: " << glfw.error()
                  << " (is DISPLAY set?)\n";
        return 1;
    }
    VolunteerConsole console(config);
    bool loaded = false;
    std::jthread loader([&] { loaded = load_session(session, console); }); // joined before the first frame
    AssistedWatch assisted;
    ui::KioskUiContext ctx;
    ctx.texts = &session.texts;
    // The atlas holds the resident's text size only; UpdateFonts (before each frame) re-bakes on a change.
    // The first one is baked while the window opens. Sizes follow the short side, so a portrait tablet
    // gets the sizes of a landscape one.
    ctx.font_file = config.font.string();
    ctx.assets = config.assets.string();
    const auto [planned_w, planned_h] = planned_window_size(options.window);
    ctx.short_side = static_cast<float>(std::min(planned_w, planned_h));
    ui::FontPrebake prebake(ctx);
    g_startup.mark("glfw started");
    auto window = create_kiosk_window(options.window);
    if (!window) {
        std::cerr << "buurtstem-kiosk: " << window.error() << "\n";
        return 1;
    }
    int width = 0;
    int height = 0;
    glfwGetWindowSize(window->get(), &width, &height);
    const float short_side = static_cast<float>(std::min(width, height));
    watch_for_activity(window->get()); // before ImGui, whose GLFW backend chains to these callbacks
    g_startup.mark("window open");
    loader.join();
    if (!loaded) {
        return 1;
    }
    g_startup.mark("session loaded");
    ImFontAtlas* prebaked = prebake.finish(ctx, short_side);
    g_startup.mark("fonts baked");
    ImGuiSession imgui(window->get(), prebaked);

    const ui::KioskDisplayFlags flags = ui::KioskDisplayFlags_None;
    ui::ApplyTheme(flags, short_side / 800.0f);
    session.load_result();
    ctx.result = &session.result;
    ctx.flags = flags;
    ui::UpdateFonts(ctx, 0);
    if (ctx.fonts.body == nullptr) {
        std::cerr << "buurtstem-kiosk: font " << config.font << " not found; using ImGui's built-in font\n";
    }
    std::optional<ui::AutomationLog> automation;
    if (options.automation_file) {
        automation.emplace(*options.automation_file);
        ctx.automation = &*automation;
    }

    std::unique_ptr<SyncWorker> worker;
    if (!options.no_sync && session.flow) {
        worker = start_sync_worker(config);
    }
    std::string last_sync_line;

    g_startup.mark("imgui and workers started");
    std::cerr << "buurtstem-kiosk: ready (" << width << "x" << height << ", device " << config.device_id
              << ")\n";

    std::optional<ReadAloud> read_aloud;
    if (session.flow && config.speech) {
        read_aloud.emplace(config);
        read_aloud->set_automatic(console.settings().speak_automatically);
    }
    std::optional<std::chrono::steady_clock::time_point> corner_wake;

    // Lazy drawing: sleep until input, a worker (sync, speech) or the flow's next timer needs us, and
    // draw only then. ImGui needs a few frames after an event to settle (a press, then its release, then
    // the next screen laid out), so each event buys kSettleFrames frames.
    constexpr int kSettleFrames = 3;
    int frames_to_draw = kSettleFrames;
    bool presented = false;
    std::string drawn_signature;
    std::vector<FlowEvent> events;
    std::vector<VolunteerEvent> volunteer_events;
    std::vector<ContactEvent> contact_events;
    while (!g_stop_requested) {
        if (frames_to_draw > 0) {
            glfwPollEvents();
        } else {
            std::optional<std::chrono::steady_clock::time_point> deadline;
            const Moment before = Moment::now();
            if (session.flow) {
                deadline = session.flow->next_deadline(before);
            }
            // The console's timers (the lockout countdown, closing an unattended console) and a finger on
            // the hidden corner wake the loop too.
            for (const auto& also :
                 {console.flow().next_deadline(before), corner_wake, session.contact.next_deadline()}) {
                if (also && (!deadline || *also < *deadline)) {
                    deadline = also;
                }
            }
            if (deadline) {
                const double until =
                    std::chrono::duration<double>(*deadline - std::chrono::steady_clock::now()).count();
                glfwWaitEventsTimeout(std::max(until + 0.002, 0.001)); // GLFW refuses 0
            } else {
                glfwWaitEvents(); // nothing changes by itself: sleep until a tap, a worker or a signal
            }
        }
        ctx.now = Moment::now();
        if (take_activity()) {
            frames_to_draw = std::max(frames_to_draw, kSettleFrames);
        }
        if (glfwWindowShouldClose(window->get())) {
            // Leaving the program takes the PIN (when one is set): the window stays and asks for it.
            glfwSetWindowShouldClose(window->get(), GLFW_FALSE);
            console.flow().handle({VolunteerEventType::WindowClose, {}}, ctx.now);
            frames_to_draw = std::max(frames_to_draw, 1);
        }
        const VolunteerScreen console_screen = console.flow().screen();
        console.flow().tick(ctx.now);
        if (console.observe(worker.get(), ctx.now) && !console.flow().resident_mode()) {
            frames_to_draw = std::max(frames_to_draw, 1);
        }
        if (console.flow().screen() != console_screen) {
            frames_to_draw = std::max(frames_to_draw, 1);
        }
        if (session.flow) {
            session.contact.tick(ctx.now);
            if (session.awaiting_contact && !session.contact.active()) {
                session.contact_done(ctx.now);
            }
            session.flow->tick(ctx.now);
            if (session.flow->screen() == Screen::Saving) {
                session.commit_finished(ctx.now, worker.get());
            }
            if (console.flow().resident_mode() &&
                screen_signature(*session.flow, ctx.now) != drawn_signature) {
                frames_to_draw = std::max(frames_to_draw, 1);
            }
        }
        if (!console.flow().resident_mode() &&
            "volunteer|" + std::to_string(console.flow().locked_seconds(ctx.now)) != drawn_signature) {
            frames_to_draw = std::max(frames_to_draw, 1);
        }
        if (carry_out(console.flow().take_commands(), session, console, worker.get()) ==
            ConsoleOutcome::Quit) {
            break;
        }
        if (worker) {
            report_sync_changes(*worker, last_sync_line);
            // A pass may have brought a new result text: one stat per wake, not per frame drawn.
            if (session.load_result()) {
                frames_to_draw = std::max(frames_to_draw, 1);
            }
        }
        if (frames_to_draw == 0) {
            continue;
        }
        --frames_to_draw;

        if (read_aloud) {
            read_aloud->show(ctx);
        }
        ui::UpdateFonts(ctx, session.flow ? session.flow->display().text_size : 0);
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGui::NewFrame();
        const bool input = had_input(ImGui::GetIO());
        events.clear();
        volunteer_events.clear();
        contact_events.clear();
        const bool resident_mode = console.flow().resident_mode();
        const bool was_assisting = console.flow().screen() == VolunteerScreen::Assisting;
        bool long_press = false;
        if (session.flow && resident_mode && session.awaiting_contact) {
            drawn_signature = screen_signature(*session.flow, ctx.now);
            ui::DrawContact(session.contact, session.flow->language(), ctx, contact_events);
            long_press =
                ui::DrawVolunteerCorner(ctx, static_cast<float>(config.long_press_seconds), corner_wake);
        } else if (session.flow && resident_mode) {
            drawn_signature = screen_signature(*session.flow, ctx.now);
            ui::DrawKiosk(*session.flow, ctx, events);
            long_press =
                ui::DrawVolunteerCorner(ctx, static_cast<float>(config.long_press_seconds), corner_wake);
        } else if (session.flow) {
            drawn_signature = "volunteer|" + std::to_string(console.flow().locked_seconds(ctx.now));
            corner_wake.reset();
            ui::DrawVolunteer(
                console.flow(),
                console.view(session.texts, &*session.consultation, &*session.store, worker.get()), ctx,
                volunteer_events);
        } else {
            ui::DrawBrokenConsultation(session.broken, ctx);
        }
        if (!presented) {
            g_startup.mark("first frame laid out");
        }
        ImGui::Render();
        int fb_w = 0;
        int fb_h = 0;
        glfwGetFramebufferSize(window->get(), &fb_w, &fb_h);
        glViewport(0, 0, fb_w, fb_h);
        const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
        glClearColor(bg.x, bg.y, bg.z, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        if (!presented) {
            g_startup.mark("first frame rendered");
        }
        glfwSwapBuffers(window->get());
        // Only now is the frame the map describes on screen (finished, so a test's screenshot finds it
        // there, not the black of a window not yet drawn). A frame whose layout is still settling (a
        // scroll region just found it overflows) is not published: a reader would tap a place that moves.
        if (automation || !presented) {
            finish_presenting(window->get());
        }
        if (automation && !ctx.wants_redraw) {
            automation->end_frame(); // after the speaker bar too, so its button is in the same map
            automation->publish();
        }
        if (!presented) {
            presented = true;
            g_startup.mark("first frame presented");
            std::cerr << "buurtstem-kiosk: first frame on screen\n"; // the bench times launch to this line
        }

        if (session.flow && resident_mode) {
            if (input) {
                session.flow->handle({FlowEventType::Touch, {}}, ctx.now);
            }
            for (const FlowEvent& event : events) {
                session.flow->handle(event, ctx.now);
            }
            for (const ContactEvent& event : contact_events) {
                session.contact.handle(event, ctx.now);
            }
            if (session.awaiting_contact && !session.contact.active()) {
                session.contact_done(ctx.now);
            }
            if (read_aloud) {
                read_aloud->after_frame(*session.flow, session.texts, ctx, events);
            }
            if (long_press) {
                console.flow().handle({VolunteerEventType::LongPress, {}}, ctx.now);
                if (read_aloud) {
                    read_aloud->silence();
                }
            }
        } else if (session.flow) {
            if (input) {
                console.flow().handle({VolunteerEventType::Touch, {}}, ctx.now);
            }
            for (const VolunteerEvent& event : volunteer_events) {
                console.flow().handle(event, ctx.now);
            }
        }
        const auto commands = console.flow().take_commands();
        for (const VolunteerCommand& command : commands) {
            if (command.type == VolunteerCommandType::SaveSettings && read_aloud) {
                read_aloud->set_automatic(command.settings.speak_automatically);
            }
        }
        if (carry_out(commands, session, console, worker.get()) == ConsoleOutcome::Quit) {
            break;
        }
        if (session.flow) {
            if (console.flow().screen() == VolunteerScreen::Assisting && !was_assisting) {
                assisted.reset(*session.flow);
            } else if (console.flow().screen() == VolunteerScreen::Assisting &&
                       assisted.ended(*session.flow)) {
                console.flow().handle({VolunteerEventType::ResidentDone, {}}, ctx.now);
                session.channel = EntryChannel::Kiosk;
                session.note.clear();
            }
        }
        if (input || !events.empty() || !volunteer_events.empty() || !contact_events.empty() ||
            !commands.empty() || long_press) {
            frames_to_draw = kSettleFrames;
        } else if (ctx.wants_redraw) {
            // A frame whose layout changes on the next one (a scroll region found it overflows, a
            // drag scrolled, an animation) gets that next frame without waiting for input.
            frames_to_draw = std::max(frames_to_draw, 1);
        }
    }
    // A finished response the store refused lives only in memory: one last try before it is gone.
    if (session.flow && !session.awaiting_contact &&
        (session.flow->screen() == Screen::Saving || session.flow->screen() == Screen::SaveFailed)) {
        session.commit_finished(Moment::now(), nullptr);
        if (session.flow->screen() != Screen::Thanks) {
            std::cerr << "buurtstem-kiosk: closing with an unsaved response\n";
            return 1;
        }
    }
    std::cerr << "buurtstem-kiosk: closing\n";
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"The resident-facing kiosk: a consultation on a touch screen, its responses kept on this "
                 "kiosk and sent to the server.",
                 "buurtstem-kiosk"};
    use_command_line_conventions(app);
    CommandLine command_line;
    describe_options(app, command_line);
    if (const auto done = parse_command_line(app, argc, argv)) {
        return *done;
    }
    auto options = options_from(std::move(command_line));
    if (!options) {
        std::cerr << "buurtstem-kiosk: " << options.error() << "\n";
        return 2;
    }
    // Before any thread: curl_global_init is not thread-safe.
    CurlGlobal curl;
    if (options->enrol_code) {
        return enrol(options->config, *options->enrol_code);
    }
    if (options->export_bundle) {
        return export_bundle(options->config, *options->export_bundle);
    }
    if (options->sync_now) {
        return sync_now(options->config);
    }
    if (options->set_pin) {
        return set_pin(options->config);
    }
    return run_kiosk(*options);
}
