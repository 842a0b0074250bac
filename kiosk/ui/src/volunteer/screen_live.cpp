// The live panel: how many took part (this event, today), each question's answers as bars (every type:
// the app turns answers into labelled counts), each response's way to the council (stored here -> sent
// -> confirmed by the server's receipt), the last sync in words, the network, free disk space; "Nu
// versturen" with a progress bar; the event's responses per channel; the invitations (contact opt-ins)
// as counts only, never a name, and a button to wipe those the server confirmed. Map: screen
// "volunteer-live"; volunteer.back, volunteer.sync_now, volunteer.clear_contacts; the numbers also as the
// fields volunteer_counts and volunteer_tallies (for tests and tools).
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "../theme.hpp"
#include "../widgets.hpp"
#include "buurtstem/ui/automation.hpp"
#include "volunteer_screens.hpp"

namespace buurtstem::ui {

namespace {

std::string JsonString(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        if (static_cast<unsigned char>(c) >= 0x20) {
            out += c;
        }
    }
    return out + "\"";
}

// "12,3 GB" / "850 MB": Dutch decimal comma.
std::string Bytes(uint64_t bytes) {
    char buffer[32];
    if (bytes >= 1000ULL * 1000 * 1000) {
        std::snprintf(buffer, sizeof buffer, "%.1f GB", static_cast<double>(bytes) / 1e9);
    } else {
        std::snprintf(buffer, sizeof buffer, "%.0f MB", static_cast<double>(bytes) / 1e6);
    }
    std::string text = buffer;
    std::replace(text.begin(), text.end(), '.', ',');
    return text;
}

const char* NetworkKey(NetworkView network) {
    switch (network) {
    case NetworkView::NoServer:
        return "network_none";
    case NetworkView::Unknown:
        return "network_unknown";
    case NetworkView::Reached:
        return "network_ok";
    case NetworkView::Unreachable:
        return "network_down";
    case NetworkView::Revoked:
        return "network_revoked";
    }
    return "network_unknown";
}

void Bars(const QuestionTally& tally, KioskUiContext& ctx) {
    const Palette p = GetPalette(ctx.flags);
    WrappedText(tally.text, nullptr, p.text);
    int64_t most = 1;
    for (const TallyBar& bar : tally.bars) {
        most = std::max(most, bar.count);
    }
    ImGui::PushFont(ctx.fonts.small != nullptr ? ctx.fonts.small : ImGui::GetFont());
    const float width = ImGui::GetContentRegionAvail().x;
    const float label_w = std::floor(width * 0.4f);
    const float number_w = TextWidth("0000") + LabelPadding();
    const float bar_w = std::max(1.0f, width - label_w - number_w - LabelPadding() * 2);
    for (const TallyBar& bar : tally.bars) {
        const float label_h = WrappedTextHeight(bar.label, label_w);
        const float h = std::max(label_h, ImGui::GetFontSize());
        const ImVec2 at = ImGui::GetCursorScreenPos();
        WrappedText(bar.label, nullptr, p.muted_text, label_w);
        ImDrawList* draw = ImGui::GetWindowDrawList();
        const float x = at.x + label_w + LabelPadding();
        const float fill = bar_w * static_cast<float>(bar.count) / static_cast<float>(most);
        const float top = at.y + h * 0.5f - ImGui::GetFontSize() * 0.4f;
        const float bottom = at.y + h * 0.5f + ImGui::GetFontSize() * 0.4f;
        draw->AddRectFilled(ImVec2(x, top), ImVec2(x + bar_w, bottom), p.surface, Px(4));
        if (bar.count > 0) {
            draw->AddRectFilled(ImVec2(x, top), ImVec2(x + std::max(fill, Px(4)), bottom), p.primary, Px(4));
        }
        const std::string number = std::to_string(bar.count);
        draw->AddText(ImVec2(x + bar_w + LabelPadding(), at.y + (h - ImGui::GetFontSize()) * 0.5f), p.text,
                      number.c_str());
        ImGui::SetCursorScreenPos(ImVec2(at.x, at.y + h + Px(4)));
        ImGui::Dummy(ImVec2(0, 0));
    }
    ImGui::PopFont();
    ImGui::Dummy(ImVec2(0, Px(8)));
}

void PublishNumbers(const ConsoleView& view, KioskUiContext& ctx) {
    if (ctx.automation == nullptr) {
        return;
    }
    ctx.automation->set_field(
        "volunteer_counts",
        "{\"in_event\": " + std::to_string(view.in_event) + ", \"today\": " + std::to_string(view.today) +
            ", \"stored_here\": " + std::to_string(view.stored_here) + ", \"sent\": " +
            std::to_string(view.sent) + ", \"confirmed\": " + std::to_string(view.confirmed) +
            ", \"held\": " + std::to_string(view.held) +
            ", \"set_aside\": " + std::to_string(view.set_aside) +
            ", \"kiosk\": " + std::to_string(view.current ? view.current->kiosk : 0) +
            ", \"facilitated\": " + std::to_string(view.current ? view.current->facilitated : 0) +
            ", \"paper\": " + std::to_string(view.current ? view.current->paper : 0) +
            ", \"contacts_waiting\": " + std::to_string(view.contacts_waiting) +
            ", \"contacts_sent\": " + std::to_string(view.contacts_sent) +
            ", \"syncing\": " + (view.sync_running ? "true" : "false") + "}");
    std::string tallies = "{";
    for (size_t q = 0; q < view.tallies.size(); ++q) {
        tallies += (q ? ", " : "") + JsonString(view.tallies[q].question_id) + ": {";
        for (size_t b = 0; b < view.tallies[q].bars.size(); ++b) {
            const TallyBar& bar = view.tallies[q].bars[b];
            tallies += (b ? ", " : "") + JsonString(bar.label) + ": " + std::to_string(bar.count);
        }
        tallies += "}";
    }
    ctx.automation->set_field("volunteer_tallies", tallies + "}");
}

} // namespace

void DrawLivePanel(const VolunteerFlow&, const ConsoleView& view, KioskUiContext& ctx,
                   std::vector<VolunteerEvent>& events) {
    const Palette p = GetPalette(ctx.flags);
    const Catalog& t = *ctx.texts;
    const std::string& lang = ctx.language;
    PublishNumbers(view, ctx);
    BeginScreen("##volunteer-live", ctx, "volunteer-live");
    WrappedText(VText(ctx, "live_title"), ctx.fonts.title);
    WrappedText(t.format(lang, "volunteer.taken_part",
                         {{"event", std::to_string(view.in_event)}, {"today", std::to_string(view.today)}}));
    if (view.current) {
        WrappedText(t.format(lang, "volunteer.channels",
                             {{"kiosk", std::to_string(view.current->kiosk)},
                              {"facilitated", std::to_string(view.current->facilitated)},
                              {"paper", std::to_string(view.current->paper)}}),
                    ctx.fonts.small);
    }
    WrappedText(t.format(lang, "volunteer.pipeline",
                         {{"stored", std::to_string(view.stored_here)},
                          {"sent", std::to_string(view.sent)},
                          {"confirmed", std::to_string(view.confirmed)}}),
                ctx.fonts.small);
    if (view.held > 0 || view.set_aside > 0) {
        WrappedText(
            t.format(lang, "volunteer.set_aside",
                     {{"held", std::to_string(view.held)}, {"refused", std::to_string(view.set_aside)}}),
            ctx.fonts.small);
    }
    if (view.sync_running) {
        ImGui::PushStyleColor(ImGuiCol_PlotHistogram, p.primary);
        ImGui::PushStyleColor(ImGuiCol_FrameBg, p.surface);
        ImGui::ProgressBar(std::clamp(view.sync_progress, 0.0f, 1.0f), ImVec2(-FLT_MIN, Px(18)), "");
        ImGui::PopStyleColor(2);
        WrappedText(VText(ctx, "sync_running"), ctx.fonts.small, p.muted_text);
    } else if (view.last_sync_time.empty()) {
        WrappedText(VText(ctx, "sync_never"), ctx.fonts.small, p.muted_text);
    } else {
        WrappedText(t.format(lang, "volunteer.sync_last",
                             {{"time", view.last_sync_time}, {"result", view.last_sync_words}}),
                    ctx.fonts.small, p.muted_text);
    }
    WrappedText(VText(ctx, NetworkKey(view.network)), ctx.fonts.small, p.muted_text);
    WrappedText(t.format(lang, "volunteer.disk_free", {{"size", Bytes(view.free_disk_bytes)}}),
                ctx.fonts.small, p.muted_text);
    if (view.disk_low) {
        WrappedText(VText(ctx, "disk_low"), ctx.fonts.small, p.text);
    }

    NavSlot slots[3];
    slots[0] = {"volunteer.back", VText(ctx, "back"), ButtonFlags_Quiet, false};
    slots[2] = {"volunteer.sync_now", VText(ctx, "sync_now"),
                view.sync_running || view.network == NetworkView::NoServer ? ButtonFlags_Disabled
                                                                           : ButtonFlags_Primary,
                false};
    const float nav_h = NavBarHeight(slots);
    const float region_h = ImGui::GetContentRegionAvail().y - nav_h - ImGui::GetStyle().ItemSpacing.y;
    BeginScrollRegion(ctx, "##tallies", region_h);
    if (view.contacts_waiting > 0 || view.contacts_sent > 0) {
        // Counts only: contacts are never shown on the kiosk after entry.
        WrappedText(t.format(lang, "volunteer.contacts_line",
                             {{"waiting", std::to_string(view.contacts_waiting)},
                              {"sent", std::to_string(view.contacts_sent)}}),
                    ctx.fonts.small);
        if (view.contacts_sent > 0 && BigButton(ctx, "volunteer.clear_contacts", VText(ctx, "clear_contacts"),
                                                ImVec2(0, 0), ButtonFlags_Quiet)) {
            events.push_back({VolunteerEventType::ClearContacts, {}});
        }
    }
    if (view.tallies.empty()) {
        WrappedText(VText(ctx, "no_tallies"), ctx.fonts.small, p.muted_text);
    }
    for (const QuestionTally& tally : view.tallies) {
        Bars(tally, ctx);
    }
    EndScrollRegion(ctx);
    ImGui::SetCursorPosY(ImGui::GetWindowHeight() - ImGui::GetStyle().WindowPadding.y - nav_h);
    switch (NavBar(ctx, slots)) {
    case 0:
        events.push_back({VolunteerEventType::Cancel, {}});
        break;
    case 2:
        events.push_back({VolunteerEventType::SyncNow, {}});
        break;
    default:
        break;
    }
    EndScreen(ctx);
}

} // namespace buurtstem::ui
