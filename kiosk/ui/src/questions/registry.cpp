// The one list of answer screens, by question type name (common/consultation/src/types/registry.cpp
// lists the models).
#include <utility>

#include "question_screens.hpp"

namespace buurtstem::ui {

void DrawSingleChoice(const ResidentFlow&, KioskUiContext&, std::vector<FlowEvent>&);
void DrawMultipleChoice(const ResidentFlow&, KioskUiContext&, std::vector<FlowEvent>&);
void DrawSmileyScale(const ResidentFlow&, KioskUiContext&, std::vector<FlowEvent>&);
void DrawAgreeScale(const ResidentFlow&, KioskUiContext&, std::vector<FlowEvent>&);
void DrawYesNo(const ResidentFlow&, KioskUiContext&, std::vector<FlowEvent>&);
void DrawRanking(const ResidentFlow&, KioskUiContext&, std::vector<FlowEvent>&);
void DrawFreeText(const ResidentFlow&, KioskUiContext&, std::vector<FlowEvent>&);

DrawAnswersFn FindAnswerScreen(std::string_view type_name) {
    static constexpr std::pair<std::string_view, DrawAnswersFn> kScreens[] = {
        {"single_choice", DrawSingleChoice},
        {"multiple_choice", DrawMultipleChoice},
        {"smiley_scale", DrawSmileyScale},
        {"agree_scale", DrawAgreeScale},
        {"yes_no", DrawYesNo},
        {"ranking", DrawRanking},
        {"free_text", DrawFreeText},
    };
    for (const auto& [name, draw] : kScreens) {
        if (name == type_name) {
            return draw;
        }
    }
    return nullptr;
}

} // namespace buurtstem::ui
