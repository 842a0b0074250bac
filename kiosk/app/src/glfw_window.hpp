// RAII for the window side of the kiosk: the GLFW library, the window, and the Dear ImGui context with
// its GLFW + OpenGL3 backends (both compiled into Debian's libimgui.a).
#pragma once

#include <utility>

#include <memory>
#include <string>

#include "buurtstem/core/result.hpp"

struct GLFWwindow;

struct ImFontAtlas;

namespace buurtstem {

class GlfwLibrary {
public:
    GlfwLibrary();
    ~GlfwLibrary();
    GlfwLibrary(const GlfwLibrary&) = delete;
    GlfwLibrary& operator=(const GlfwLibrary&) = delete;
    // Empty when glfwInit succeeded; else why not (no display, say).
    const std::string& error() const { return error_; }

private:
    std::string error_;
};

struct GlfwWindowDeleter {
    void operator()(GLFWwindow* window) const;
};
using GlfwWindowPtr = std::unique_ptr<GLFWwindow, GlfwWindowDeleter>;

struct WindowOptions {
    bool fullscreen = false; // on the primary monitor, at its current video mode
    int width = 1280;
    int height = 800;
};

Result<GlfwWindowPtr, std::string> create_kiosk_window(const WindowOptions& options);

// The size the window will have: options.width x options.height, or the primary monitor's video mode for
// full screen (after glfwInit). Lets the fonts be baked while the window opens (FontPrebake).
std::pair<int, int> planned_window_size(const WindowOptions& options);

// ImGui::CreateContext + backend init in the constructor; shutdown in reverse order in the destructor.
// `fonts`, when given, becomes the context's font atlas; the session owns and deletes it.
class ImGuiSession {
public:
    explicit ImGuiSession(GLFWwindow* window, ImFontAtlas* fonts = nullptr);
    ~ImGuiSession();
    ImGuiSession(const ImGuiSession&) = delete;
    ImGuiSession& operator=(const ImGuiSession&) = delete;

private:
    ImFontAtlas* fonts_ = nullptr;
};

// Lazy drawing: the frame loop sleeps in glfwWaitEventsTimeout and draws only when something changed.
// watch_for_activity() installs GLFW callbacks (before ImGuiSession, whose backend chains to them) that
// note input, a resize and an expose; wake_frame_loop() lets any thread (sync, speech) ask for a frame.
void watch_for_activity(GLFWwindow* window);
void wake_frame_loop();
// True when there was activity since the last call; clears it.
bool take_activity();

// Waits until the window system has shown everything drawn so far. Mesa's software renderer under Xvfb
// hands the frame to the X server on SwapBuffers; a screenshot taken before the server has it is black.
void finish_presenting(GLFWwindow* window);

// The last GLFW error's description, or "unknown GLFW error".
std::string last_glfw_error();

} // namespace buurtstem
