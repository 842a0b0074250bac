// The answer area of each question type: one file per type (<type>_screen.cpp), listed once in
// registry.cpp. screen_question.cpp draws what every question shares (progress, text, navigation) and
// asks the registry for the part between. Each function reads the flow and pushes Answer events with
// the complete new value in the type's encoding (common/consultation question_type.hpp).
#pragma once

#include <string_view>
#include <vector>

#include "buurtstem/flow/resident_flow.hpp"
#include "buurtstem/ui/kiosk_ui.hpp"

namespace buurtstem::ui {

using DrawAnswersFn = void (*)(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events);

// nullptr for a type without a screen: the question then shows no answers. Both registries must list
// the same names; the window tests walk through every type of the demo consultation.
DrawAnswersFn FindAnswerScreen(std::string_view type_name);

} // namespace buurtstem::ui
