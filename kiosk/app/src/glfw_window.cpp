#include "glfw_window.hpp"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <atomic>

namespace buurtstem {

namespace {

std::atomic<bool> g_activity{true}; // the first frame is always drawn

void on_cursor_pos(GLFWwindow*, double, double) {
    g_activity = true;
}
void on_mouse_button(GLFWwindow*, int, int, int) {
    g_activity = true;
}
void on_scroll(GLFWwindow*, double, double) {
    g_activity = true;
}
void on_key(GLFWwindow*, int, int, int, int) {
    g_activity = true;
}
void on_char(GLFWwindow*, unsigned int) {
    g_activity = true;
}
void on_focus(GLFWwindow*, int) {
    g_activity = true;
}
void on_cursor_enter(GLFWwindow*, int) {
    g_activity = true;
}
void on_window(GLFWwindow*) {
    g_activity = true;
}
void on_size(GLFWwindow*, int, int) {
    g_activity = true;
}

} // namespace

void watch_for_activity(GLFWwindow* window) {
    glfwSetCursorPosCallback(window, on_cursor_pos);
    glfwSetMouseButtonCallback(window, on_mouse_button);
    glfwSetScrollCallback(window, on_scroll);
    glfwSetKeyCallback(window, on_key);
    glfwSetCharCallback(window, on_char);
    glfwSetWindowFocusCallback(window, on_focus);
    glfwSetCursorEnterCallback(window, on_cursor_enter);
    // Not chained by ImGui: an expose (another window went away) or a new size needs a new frame.
    glfwSetWindowRefreshCallback(window, on_window);
    glfwSetFramebufferSizeCallback(window, on_size);
}

void wake_frame_loop() {
    g_activity = true;
    glfwPostEmptyEvent(); // safe from any thread
}

bool take_activity() {
    return g_activity.exchange(false);
}

void finish_presenting(GLFWwindow*) {
    glFinish();
}

std::string last_glfw_error() {
    const char* description = nullptr;
    glfwGetError(&description);
    return description != nullptr ? description : "unknown GLFW error";
}

GlfwLibrary::GlfwLibrary() {
    if (glfwInit() == GLFW_FALSE) {
        error_ = last_glfw_error();
    }
}

GlfwLibrary::~GlfwLibrary() {
    glfwTerminate();
}

void GlfwWindowDeleter::operator()(GLFWwindow* window) const {
    glfwDestroyWindow(window);
}

Result<GlfwWindowPtr, std::string> create_kiosk_window(const WindowOptions& options) {
    // OpenGL 3.0 + GLSL 130: what Mesa's software renderer and every kiosk tablet GPU of the last decade
    // offer.
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    GLFWmonitor* monitor = nullptr;
    int width = options.width;
    int height = options.height;
    if (options.fullscreen) {
        monitor = glfwGetPrimaryMonitor();
        if (monitor == nullptr) {
            return fail("no monitor for full screen: " + last_glfw_error());
        }
        const GLFWvidmode* mode = glfwGetVideoMode(monitor);
        if (mode == nullptr) {
            return fail("cannot read the monitor's video mode: " + last_glfw_error());
        }
        width = mode->width;
        height = mode->height;
    }
    GLFWwindow* window = glfwCreateWindow(width, height, "Buurtstem", monitor, nullptr);
    if (window == nullptr) {
        return fail("cannot open the kiosk window: " + last_glfw_error());
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(1);
    if (options.fullscreen) {
        // A touch kiosk has no pointer to show; taps still arrive as clicks.
        glfwSetInputMode(window, GLFW_CURSOR, GLFW_CURSOR_HIDDEN);
    }
    return GlfwWindowPtr(window);
}

std::pair<int, int> planned_window_size(const WindowOptions& options) {
    if (options.fullscreen) {
        if (GLFWmonitor* monitor = glfwGetPrimaryMonitor()) {
            if (const GLFWvidmode* mode = glfwGetVideoMode(monitor)) {
                return {mode->width, mode->height};
            }
        }
    }
    return {options.width, options.height};
}

ImGuiSession::ImGuiSession(GLFWwindow* window, ImFontAtlas* fonts) : fonts_(fonts) {
    IMGUI_CHECKVERSION();
    ImGui::CreateContext(fonts);
    // No imgui.ini: a kiosk must look the same after every start, whatever a resident dragged.
    ImGui::GetIO().IniFilename = nullptr;
    // A blinking text cursor would need a frame every half second; a steady one needs none.
    ImGui::GetIO().ConfigInputTextCursorBlink = false;
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 130");
}

ImGuiSession::~ImGuiSession() {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    if (fonts_ != nullptr) {
        IM_DELETE(fonts_); // a shared atlas outlives the context (imgui.h CreateContext)
    }
}

} // namespace buurtstem
