#include "glfw_window.hpp"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

namespace buurtstem {

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

ImGuiSession::ImGuiSession(GLFWwindow* window) {
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    // No imgui.ini: a kiosk must look the same after every start, whatever a resident dragged.
    ImGui::GetIO().IniFilename = nullptr;
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 130");
}

ImGuiSession::~ImGuiSession() {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
}

} // namespace buurtstem
