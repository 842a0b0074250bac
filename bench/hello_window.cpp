// buurtstem_hello_window: the floor the kiosk's window figures are held against. The smallest Dear ImGui +
// GLFW + OpenGL3 program, built from the same libimgui backends as the kiosk, that sleeps until an event
// (glfwWaitEvents) and draws a few frames after each. It writes --ready-file once its first frame is on
// screen, as the kiosk writes its automation map.
//
// "First frame" means the first frame that shows the window, as the kiosk's first frame shows its start
// screen: Dear ImGui keeps a window without a set size hidden on its first frame (to measure it), so the
// very first frame here is only the cleared background, which costs the software rasteriser almost
// nothing (no triangles, no shader variant to compile). Timing that frame would hold the kiosk to a floor
// that draws nothing.
//
//   buurtstem_hello_window [--window 1280x800] [--ready-file FILE]
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

// A hand check of argv, not CLI11 as the other programs (buurtstem/core/command_line.hpp): this program is
// the floor of the kiosk's start-up figures, so it holds nothing beyond the smallest window program.
int main(int argc, char** argv) {
    int width = 1280;
    int height = 800;
    std::string ready_file;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--window") == 0 && i + 1 < argc) {
            if (std::sscanf(argv[++i], "%dx%d", &width, &height) != 2) {
                std::fprintf(stderr, "buurtstem_hello_window: --window must look like 1280x800\n");
                return 2;
            }
        } else if (std::strcmp(argv[i], "--ready-file") == 0 && i + 1 < argc) {
            ready_file = argv[++i];
        } else {
            std::fprintf(stderr, "usage: buurtstem_hello_window [--window 1280x800] [--ready-file FILE]\n");
            return std::strcmp(argv[i], "--help") == 0 ? 0 : 2;
        }
    }
    if (glfwInit() == GLFW_FALSE) {
        std::fprintf(stderr, "buurtstem_hello_window: glfwInit failed (is DISPLAY set?)\n");
        return 1;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    GLFWwindow* window = glfwCreateWindow(width, height, "Hello", nullptr, nullptr);
    if (window == nullptr) {
        std::fprintf(stderr, "buurtstem_hello_window: cannot open a window\n");
        return 1;
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(1);
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 130");

    bool presented = false;
    bool presented_empty = false;
    int frames = 3;
    while (!glfwWindowShouldClose(window)) {
        if (frames > 0) {
            glfwPollEvents();
            --frames;
        } else {
            glfwWaitEvents();
            frames = 2;
        }
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGui::NewFrame();
        ImGui::Begin("Hello");
        ImGui::Text("Hello, world!");
        ImGui::End();
        ImGui::Render();
        const bool shows_window = ImGui::GetDrawData()->TotalVtxCount > 0;
        int w = 0;
        int h = 0;
        glfwGetFramebufferSize(window, &w, &h);
        glViewport(0, 0, w, h);
        glClearColor(0.45f, 0.55f, 0.60f, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        glfwSwapBuffers(window);
        if (!presented && !shows_window && !presented_empty) {
            glFinish();
            presented_empty = true;
            // Not the first frame; the bench prints the time to it as a note, beside the real figure.
            std::fprintf(stderr, "buurtstem_hello_window: empty frame on screen\n");
        }
        if (!presented && shows_window) {
            glFinish();
            presented = true;
            std::fprintf(stderr, "buurtstem_hello_window: first frame on screen\n"); // what the bench times
            if (!ready_file.empty()) {
                std::ofstream(ready_file) << "ready\n";
            }
        }
    }
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return 0;
}
