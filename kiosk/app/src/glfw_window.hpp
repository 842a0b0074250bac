// RAII for the window side of the kiosk: the GLFW library, the window, and the Dear ImGui context with
// its GLFW + OpenGL3 backends (both compiled into Debian's libimgui.a).
#pragma once

#include <memory>
#include <string>

#include "buurtstem/core/result.hpp"

struct GLFWwindow;

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

// ImGui::CreateContext + backend init in the constructor; shutdown in reverse order in the destructor.
class ImGuiSession {
public:
    explicit ImGuiSession(GLFWwindow* window);
    ~ImGuiSession();
    ImGuiSession(const ImGuiSession&) = delete;
    ImGuiSession& operator=(const ImGuiSession&) = delete;
};

// The last GLFW error's description, or "unknown GLFW error".
std::string last_glfw_error();

} // namespace buurtstem
