// The one list of question types. Adding a type: its model file beside this one, one line here, and its
// screen in kiosk/ui/src/questions/ (listed in that folder's registry.cpp).
#include "type_model.hpp"

namespace buurtstem {

const TypeModel& single_choice_model();
const TypeModel& multiple_choice_model();
const TypeModel& smiley_scale_model();
const TypeModel& agree_scale_model();
const TypeModel& yes_no_model();
const TypeModel& ranking_model();
const TypeModel& free_text_model();

const std::vector<const TypeModel*>& type_models() {
    static const std::vector<const TypeModel*> models = {
        &single_choice_model(), &multiple_choice_model(), &smiley_scale_model(), &agree_scale_model(),
        &yes_no_model(),        &ranking_model(),         &free_text_model(),
    };
    return models;
}

} // namespace buurtstem
