// The hidden way in: a long press on the top-left corner of every residents' screen. A tap there does
// nothing (nothing else is tappable in that corner); held for `seconds`, a ring fills and the PIN pad
// opens. Residents are not told about it; volunteers learn it at the training evening.
#include <imgui.h>

#include <cmath>

#include "../theme.hpp"
#include "../widgets.hpp"
#include "buurtstem/ui/automation.hpp"
#include "volunteer_screens.hpp"

namespace buurtstem::ui {

bool DrawVolunteerCorner(KioskUiContext& ctx, float seconds,
                         std::optional<std::chrono::steady_clock::time_point>& wake_at) {
    // The map's countdown field belongs to the PIN pad; on the residents' screens there is none.
    if (ctx.automation != nullptr) {
        ctx.automation->set_field("volunteer_lockout_seconds", "0");
    }
    const float size = min_target_px();
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->WorkPos);
    ImGui::SetNextWindowSize(ImVec2(size, size));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);
    ImGui::Begin("##volunteer-corner", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoBackground);
    ImGui::PopStyleVar(2);
    ImGui::InvisibleButton("##corner", ImVec2(size, size));
    RecordItem(ctx, "volunteer.corner", "");
    const ImGuiIO& io = ImGui::GetIO();
    // Held `seconds`, the ring is full; the pad opens when the finger lets go. Opening on the release
    // rather than under a finger still down keeps that press from reaching the pad's first frame.
    ImGuiStorage* storage = ImGui::GetStateStorage();
    const ImGuiID armed_id = ImGui::GetID("##armed");
    bool fired = false;
    wake_at.reset();
    if (ImGui::IsItemActive() && io.MouseDown[0]) {
        const float held = io.MouseDownDuration[0];
        storage->SetBool(armed_id, held >= seconds);
        if (held < seconds) {
            // Draw the ring a few times a second, and exactly when the press is long enough.
            const float left = seconds - held;
            const auto step =
                std::chrono::milliseconds(static_cast<int>(std::min(left, 0.25f) * 1000.0f) + 1);
            wake_at = std::chrono::steady_clock::now() + step;
        }
        const Palette p = GetPalette(ctx.flags);
        const ImVec2 centre(viewport->WorkPos.x + size * 0.5f, viewport->WorkPos.y + size * 0.5f);
        ImDrawList* draw = ImGui::GetWindowDrawList();
        constexpr float kPi = 3.14159265f;
        const float a0 = -kPi * 0.5f;
        draw->PathArcTo(centre, size * 0.35f, a0, a0 + 2.0f * kPi * std::min(held / seconds, 1.0f), 32);
        draw->PathStroke(p.primary, ImDrawFlags_None, Px(6));
    } else {
        fired = storage->GetBool(armed_id) && ImGui::IsItemDeactivated();
        storage->SetBool(armed_id, false);
    }
    ImGui::End();
    return fired;
}

} // namespace buurtstem::ui
