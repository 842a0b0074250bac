// buurtstem-kiosk: the resident-facing kiosk.
//
//   buurtstem-kiosk [--config FILE] [--fullscreen] [--window 1280x800] [--database FILE]
//                   [--consultation FILE] [--no-sync] [--automation-file FILE]
//   buurtstem-kiosk --sync-now [--config FILE] [--database FILE]      upload pending responses and exit
//
// [SECTION] Index
//   Program options
//   Headless sync (--sync-now)
//   Kiosk session: consultation + store + flow + sync worker
//   Frame loop
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <atomic>
#include <csignal>
#include <iostream>
#include <memory>
#include <optional>

#include "buurtstem/app/kiosk_config.hpp"
#include "buurtstem/consultation/consultation_loader.hpp"
#include "buurtstem/core/args.hpp"
#include "buurtstem/flow/resident_flow.hpp"
#include "buurtstem/store/response_store.hpp"
#include "buurtstem/sync/sync_worker.hpp"
#include "buurtstem/ui/automation.hpp"
#include "buurtstem/ui/kiosk_ui.hpp"
#include "glfw_window.hpp"

using namespace buurtstem;

namespace {

//-----------------------------------------------------------------------------
// [SECTION] Program options
//-----------------------------------------------------------------------------

constexpr const char* kUsage = R"(usage:
  buurtstem-kiosk [--config FILE] [--fullscreen] [--window 1280x800] [--database FILE]
                  [--consultation FILE] [--no-sync] [--automation-file FILE]
  buurtstem-kiosk --sync-now [--config FILE] [--database FILE]
)";

// Set from the signal handler; the frame loop looks at it at least four times a second.
std::atomic<bool> g_stop_requested{false};

void request_stop(int) {
    g_stop_requested = true;
}

struct Options {
    KioskConfig config;
    WindowOptions window;
    bool sync_now = false;
    bool no_sync = false;
    std::optional<std::string> automation_file;
};

Result<Options, std::string> parse_options(int argc, char** argv) {
    Args args(argc, argv, {"--fullscreen", "--sync-now", "--no-sync", "--help"});
    if (args.flag("--help")) {
        return fail(std::string());
    }
    const std::string config_path = args.value_or("--config", default_kiosk_config_path().string());
    auto config = load_kiosk_config(config_path);
    if (!config) {
        return fail(config.error());
    }
    Options o{std::move(config).value(), {}, false, false, std::nullopt};
    if (auto db = args.value("--database")) {
        o.config.database = *db;
    }
    if (auto consultation = args.value("--consultation")) {
        o.config.consultation = *consultation;
    }
    o.window.fullscreen = args.flag("--fullscreen");
    if (auto size = args.value("--window")) {
        if (std::sscanf(size->c_str(), "%dx%d", &o.window.width, &o.window.height) != 2 ||
            o.window.width < 320 || o.window.height < 240) {
            return fail("--window must look like 1280x800, not '" + *size + "'");
        }
    }
    o.sync_now = args.flag("--sync-now");
    o.no_sync = args.flag("--no-sync");
    o.automation_file = args.value("--automation-file");
    const auto problems = args.problems();
    if (!problems.empty()) {
        return fail(problems.front());
    }
    return o;
}

//-----------------------------------------------------------------------------
// [SECTION] Headless sync (--sync-now)
//-----------------------------------------------------------------------------

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
    SyncClient client(std::move(settings).value(), std::move(outbox).value());
    auto report = client.sync_all();
    auto counts = client.counts();
    if (!report) {
        std::cerr << "buurtstem-kiosk: sync failed: " << report.error().to_string() << "\n";
        return 1;
    }
    std::cout << "sync: " << report->accepted << " accepted, " << report->rejected << " rejected in "
              << report->batches << " batches";
    if (counts) {
        std::cout << "; now " << counts->pending << " pending, " << counts->synced << " synced, "
                  << counts->rejected << " rejected";
    }
    std::cout << "\n";
    return 0;
}

//-----------------------------------------------------------------------------
// [SECTION] Kiosk session: consultation + store + flow + sync worker
//-----------------------------------------------------------------------------

// Everything a running kiosk holds besides the window. When the consultation or the store cannot be
// opened, `broken` says why and the kiosk shows that instead of taking answers it could not keep.
struct KioskSession {
    KioskConfig config;
    Catalog texts;
    std::optional<Consultation> consultation;
    std::optional<ResponseStore> store;
    std::unique_ptr<ResidentFlow> flow;
    std::string broken;

    void commit_finished(Moment now, SyncWorker* worker) {
        const CompletedResponse response =
            to_completed_response(*consultation, flow->finished_answers(), config.device_id);
        auto committed = store->commit(response);
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
                  << " answers)\n";
        flow->saved(now);
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
    return std::make_unique<SyncWorker>(SyncClient(std::move(settings).value(), std::move(outbox).value()),
                                        config.sync_interval, [] { glfwPostEmptyEvent(); });
}

void report_sync_changes(const SyncWorker& worker, std::string& last_line) {
    const SyncStatus status = worker.status();
    if (status.running) {
        return;
    }
    std::string line = "sync: " + std::to_string(status.counts.pending) + " pending, " +
                       std::to_string(status.counts.synced) + " synced, " +
                       std::to_string(status.counts.rejected) + " rejected";
    if (status.last_error) {
        line += "; last error: " + status.last_error->to_string();
    }
    if (line != last_line) {
        std::cerr << "buurtstem-kiosk: " << line << "\n";
        last_line = line;
    }
}

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

int run_kiosk(Options& options) {
    KioskSession session{options.config, {}, std::nullopt, std::nullopt, nullptr, {}};
    const KioskConfig& config = session.config;

    auto texts = Catalog::load_folder(config.assets / "i18n");
    if (!texts) {
        std::cerr << "buurtstem-kiosk: " << texts.error() << "\n";
        return 1;
    }
    session.texts = std::move(texts).value();

    if (auto loaded = load_consultation_file(config.consultation)) {
        session.consultation = std::move(loaded).value();
    } else {
        session.broken = loaded.error().to_string();
    }
    if (session.broken.empty()) {
        if (auto store = ResponseStore::open(config.database)) {
            session.store.emplace(std::move(store).value());
        } else {
            session.broken = store.error().to_string();
        }
    }
    if (!session.broken.empty()) {
        std::cerr << "buurtstem-kiosk: cannot take answers: " << session.broken << "\n";
    } else {
        session.flow = std::make_unique<ResidentFlow>(
            *session.consultation, FlowTimings{config.idle_warning, config.idle_reset, config.thanks});
    }

    GlfwLibrary glfw;
    if (!glfw.error().empty()) {
        std::cerr << "buurtstem-kiosk: cannot start the window system: " << glfw.error()
                  << " (is DISPLAY set?)\n";
        return 1;
    }
    auto window = create_kiosk_window(options.window);
    if (!window) {
        std::cerr << "buurtstem-kiosk: " << window.error() << "\n";
        return 1;
    }
    ImGuiSession imgui(window->get());

    int width = 0;
    int height = 0;
    glfwGetWindowSize(window->get(), &width, &height);
    const ui::KioskDisplayFlags flags = ui::KioskDisplayFlags_None;
    ui::ApplyTheme(flags, static_cast<float>(height) / 800.0f);
    ui::KioskUiContext ctx;
    ctx.texts = &session.texts;
    ctx.flags = flags;
    // The atlas holds the resident's text size only; UpdateFonts (each frame) re-bakes on a change.
    ctx.font_file = config.font.string();
    ctx.window_height = static_cast<float>(height);
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

    std::signal(SIGTERM, request_stop);
    std::signal(SIGINT, request_stop);
    std::cerr << "buurtstem-kiosk: ready (" << width << "x" << height << ", device " << config.device_id
              << ")\n";

    // Sleep until input, the sync worker, or a timer needs us; after input, draw a few frames at full
    // speed so ImGui's press/release and the next screen appear without delay.
    int quick_frames = 2;
    std::vector<FlowEvent> events;
    while (!glfwWindowShouldClose(window->get()) && !g_stop_requested) {
        if (quick_frames > 0) {
            glfwPollEvents();
            --quick_frames;
        } else {
            glfwWaitEventsTimeout(0.25);
        }
        ctx.now = Moment::now();
        if (session.flow) {
            session.flow->tick(ctx.now);
            if (session.flow->screen() == Screen::Saving) {
                session.commit_finished(ctx.now, worker.get());
            }
        }
        if (worker) {
            report_sync_changes(*worker, last_sync_line);
        }

        ui::UpdateFonts(ctx, session.flow ? session.flow->display().text_size : 0);
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGui::NewFrame();
        const bool input = had_input(ImGui::GetIO());
        events.clear();
        if (session.flow) {
            ui::DrawKiosk(*session.flow, ctx, events);
        } else {
            ui::DrawBrokenConsultation(session.broken, ctx);
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
        glfwSwapBuffers(window->get());

        if (session.flow) {
            if (input) {
                session.flow->handle({FlowEventType::Touch, {}}, ctx.now);
            }
            for (const FlowEvent& event : events) {
                session.flow->handle(event, ctx.now);
            }
        }
        if (input || !events.empty()) {
            quick_frames = 3;
        }
    }
    // A finished response the store refused lives only in memory: one last try before it is gone.
    if (session.flow &&
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
    auto options = parse_options(argc, argv);
    if (!options) {
        if (!options.error().empty()) {
            std::cerr << "buurtstem-kiosk: " << options.error() << "\n";
        }
        std::cerr << kUsage;
        return options.error().empty() ? 0 : 2;
    }
    // Before any thread: curl_global_init is not thread-safe.
    CurlGlobal curl;
    if (options->sync_now) {
        return sync_now(options->config);
    }
    return run_kiosk(*options);
}
