// The on-screen keyboard's keys as data, free of ImGui so a unit test can check them (every Arabic
// letter present, rows filling their width, ids unique). widgets.cpp OnScreenKeyboard draws them.
//
// Each key's automation id is "key." + its `key`: the character it types as UTF-8 ("key.a", "key.é",
// "key.ب", "key.؟"), or a name for the keys that do something else: "key.shift", "key.space",
// "key.erase", and the script switches "key.latin" (to the Latin letters and digits) and "key.arabic"
// (back to the Arabic letters).
//
// Scripts: a resident whose language is written in another script gets that script's keys first, and a
// key to switch to the Latin ones (for an e-mail address, a street name, digits). Arabic is typed in
// logical order, the order it is spoken; the stored answer keeps that order (showing it right to left is
// the text pipeline's job, kiosk/text). The Arabic keys sit where a standard Arabic (101) keyboard has them
// over QWERTY, so a resident who knows that keyboard finds them; the letters with hamza and madda, which
// that keyboard puts under shift, get keys of their own (this keyboard has no Arabic shift).
#pragma once

#include <string_view>
#include <vector>

namespace buurtstem::ui {

struct KeyDef {
    const char* key; // the UTF-8 it types, or "shift", "space", "erase", "latin", "arabic"
    int units = 1;   // width in key widths
};
using KeyRowDef = std::vector<KeyDef>;

enum class KeyboardScript { Latin, Arabic };

// The script a resident reading `language` types first.
inline KeyboardScript NativeScript(std::string_view language) {
    return language == "ar" ? KeyboardScript::Arabic : KeyboardScript::Latin;
}

// Keys that do not type themselves.
inline bool IsCommandKey(std::string_view key) {
    return key == "shift" || key == "space" || key == "erase" || key == "latin" || key == "arabic";
}

// What the script switch shows: a sample of the script it switches to (like "ABC" on a phone). Not a
// sentence in any language, so not in assets/i18n.
inline const char* ScriptSwitchLegend(std::string_view key) {
    return key == "latin" ? "ABC 123" : "أ ب ت";
}

// The rows of `script`, twelve key widths to a row when `wide`, else ten. `with_switch` adds the key back
// to the resident's own script on the Latin rows (an Arabic resident typing Latin); Arabic rows always
// have theirs. The digits row (DigitKeys) comes on top where the screen has the height.
inline const std::vector<KeyRowDef>& KeyboardRows(KeyboardScript script, bool wide, bool with_switch) {
    // Twelve to a row: letters as on a QWERTY keyboard, the accents and punctuation at the row ends.
    static const std::vector<KeyRowDef> latin_wide = {
        {{"q"}, {"w"}, {"e"}, {"r"}, {"t"}, {"y"}, {"u"}, {"i"}, {"o"}, {"p"}, {"é"}, {"ë"}},
        {{"a"}, {"s"}, {"d"}, {"f"}, {"g"}, {"h"}, {"j"}, {"k"}, {"l"}, {"ï"}, {"'"}, {"-"}},
        {{"z"}, {"x"}, {"c"}, {"v"}, {"b"}, {"n"}, {"m"}, {","}, {"."}, {"?"}, {"!"}},
        {{"shift", 3}, {"space", 6}, {"erase", 3}},
    };
    static const std::vector<KeyRowDef> latin_wide_switch = {
        latin_wide[0],
        latin_wide[1],
        latin_wide[2],
        {{"shift", 3}, {"arabic", 2}, {"space", 4}, {"erase", 3}},
    };
    // Ten to a row, for narrow (portrait) screens: one more row, space on its own.
    static const std::vector<KeyRowDef> latin_narrow = {
        {{"q"}, {"w"}, {"e"}, {"r"}, {"t"}, {"y"}, {"u"}, {"i"}, {"o"}, {"p"}},
        {{"a"}, {"s"}, {"d"}, {"f"}, {"g"}, {"h"}, {"j"}, {"k"}, {"l"}, {"é"}},
        {{"z"}, {"x"}, {"c"}, {"v"}, {"b"}, {"n"}, {"m"}, {"ë"}, {"ï"}, {"?"}},
        {{"shift", 3}, {","}, {"."}, {"'"}, {"-"}, {"!"}, {"erase", 2}},
        {{"space", 10}},
    };
    static const std::vector<KeyRowDef> latin_narrow_switch = {
        latin_narrow[0], latin_narrow[1], latin_narrow[2], latin_narrow[3], {{"arabic", 3}, {"space", 7}},
    };
    // The standard Arabic keyboard's rows (ض at Q, ش at A, ئ at Z), then hamza and madda forms and
    // Arabic punctuation (، ؟).
    static const std::vector<KeyRowDef> arabic_wide = {
        {{"ض"}, {"ص"}, {"ث"}, {"ق"}, {"ف"}, {"غ"}, {"ع"}, {"ه"}, {"خ"}, {"ح"}, {"ج"}, {"د"}},
        {{"ش"}, {"س"}, {"ي"}, {"ب"}, {"ل"}, {"ا"}, {"ت"}, {"ن"}, {"م"}, {"ك"}, {"ط"}, {"ذ"}},
        {{"ئ"}, {"ء"}, {"ؤ"}, {"ر"}, {"ى"}, {"ة"}, {"و"}, {"ز"}, {"ظ"}, {"أ"}, {"إ"}, {"آ"}},
        {{"latin", 2}, {"،"}, {"space", 5}, {"."}, {"؟"}, {"erase", 2}},
    };
    static const std::vector<KeyRowDef> arabic_narrow = {
        {{"ض"}, {"ص"}, {"ث"}, {"ق"}, {"ف"}, {"غ"}, {"ع"}, {"ه"}, {"خ"}, {"ح"}},
        {{"ج"}, {"د"}, {"ش"}, {"س"}, {"ي"}, {"ب"}, {"ل"}, {"ا"}, {"ت"}, {"ن"}},
        {{"م"}, {"ك"}, {"ط"}, {"ذ"}, {"ئ"}, {"ء"}, {"ؤ"}, {"ر"}, {"ى"}, {"ة"}},
        {{"و"}, {"ز"}, {"ظ"}, {"أ"}, {"إ"}, {"آ"}, {"،"}, {"."}, {"؟"}, {"!"}},
        {{"latin", 3}, {"space", 5}, {"erase", 2}},
    };
    if (script == KeyboardScript::Arabic) {
        return wide ? arabic_wide : arabic_narrow;
    }
    if (with_switch) {
        return wide ? latin_wide_switch : latin_narrow_switch;
    }
    return wide ? latin_wide : latin_narrow;
}

inline const KeyRowDef& DigitKeys() {
    static const KeyRowDef row = {{"1"}, {"2"}, {"3"}, {"4"}, {"5"}, {"6"}, {"7"}, {"8"}, {"9"}, {"0"}};
    return row;
}

} // namespace buurtstem::ui
