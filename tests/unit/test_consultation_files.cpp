// Consultation files as they lie on disk (issue 8 item 8, issue 9 item 3): whatever a folder holds, every
// entry that cannot be used is reported with its path and the true reason, nothing blocks (a FIFO) or
// reads forever (/dev/zero), and every text the loader accepts is one the kiosk can draw.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "buurtstem/consultation/consultation_loader.hpp"
#include "buurtstem/consultation/plain_language.hpp"
#include "buurtstem/consultation/text_rules.hpp"
#include "buurtstem/core/read_file.hpp"
#include "test_support.hpp"

using namespace buurtstem;
using buurtstem::test::TempDir;
namespace fs = std::filesystem;

namespace {

const fs::path kDemo = fs::path(BUURTSTEM_SOURCE_DIR) / "config/consultations/minimaregelingen.toml";

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

void write(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

std::string refusal(const fs::path& path) {
    auto loaded = load_consultation_file(path);
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().file == path.string());
    CHECK(loaded.error().line == 0);
    return loaded.error().to_string();
}

} // namespace

TEST_CASE("a consultation path that is not a regular file is refused at once, saying what it is") {
    TempDir dir;
    SUBCASE("a FIFO: refused without waiting for a writer") {
        REQUIRE(::mkfifo((dir / "pijp.toml").c_str(), 0600) == 0);
        CHECK(refusal(dir / "pijp.toml") ==
              (dir / "pijp.toml").string() + ": not a regular file: it is a named pipe (FIFO)");
    }
    SUBCASE("a folder") {
        fs::create_directory(dir / "map.toml");
        CHECK(refusal(dir / "map.toml") ==
              (dir / "map.toml").string() + ": not a regular file: it is a folder");
    }
    SUBCASE("a link to /dev/zero: never read") {
        fs::create_symlink("/dev/zero", dir / "nul.toml");
        CHECK(refusal(dir / "nul.toml") ==
              (dir / "nul.toml").string() + ": not a regular file: it is a device");
    }
}

TEST_CASE("a consultation file that cannot be opened names the true reason") {
    TempDir dir;
    SUBCASE("missing") {
        CHECK(refusal(dir / "weg.toml") ==
              (dir / "weg.toml").string() + ": cannot open: No such file or directory");
    }
    SUBCASE("a link to a file that is gone") {
        fs::create_symlink("verhuisd.toml", dir / "link.toml");
        CHECK(refusal(dir / "link.toml") ==
              (dir / "link.toml").string() +
                  ": cannot open: No such file or directory (it is a symbolic link "
                  "to 'verhuisd.toml', which does not exist)");
    }
    SUBCASE("a loop of links") {
        fs::create_symlink("b.toml", dir / "a.toml");
        fs::create_symlink("a.toml", dir / "b.toml");
        CHECK(contains(refusal(dir / "a.toml"), "cannot open: Too many levels of symbolic links"));
    }
    SUBCASE("a file where a folder should be") {
        write(dir / "bestand", "x");
        CHECK(refusal(dir / "bestand" / "x.toml") ==
              (dir / "bestand" / "x.toml").string() + ": cannot open: Not a directory");
    }
    SUBCASE("no permission (only as a user root's permissions do not stop)") {
        write(dir / "geheim.toml", "format = 1\n");
        fs::permissions(dir / "geheim.toml", fs::perms::none);
        if (::geteuid() == 0) {
            MESSAGE("running as root: permissions do not stop reading, so this case proves nothing here");
        } else {
            CHECK(refusal(dir / "geheim.toml") ==
                  (dir / "geheim.toml").string() + ": cannot open: Permission denied");
        }
    }
}

TEST_CASE("a consultation file over 1 MiB is refused before it is parsed, and reading stops at the cap") {
    TempDir dir;
    write(dir / "groot.toml", std::string(kMaxConsultationFileBytes + 1, '#'));
    CHECK(refusal(dir / "groot.toml") ==
          (dir / "groot.toml").string() + ": too large: " + std::to_string(kMaxConsultationFileBytes + 1) +
              " bytes; at most " + std::to_string(kMaxConsultationFileBytes) + " are read");
    write(dir / "precies.toml", std::string(kMaxConsultationFileBytes, '#'));
    auto exact = read_small_file(dir / "precies.toml", kMaxConsultationFileBytes);
    REQUIRE(exact.ok());
    CHECK(exact->size() == kMaxConsultationFileBytes);
}

TEST_CASE("a folder scan reports every entry that cannot be used, and keeps the usable ones") {
    TempDir dir;
    const std::string demo = buurtstem::test::read_file(kDemo);
    write(dir / "a-goed.toml", demo);
    write(dir / "b-dubbel.toml", demo);
    fs::create_directory(dir / "c-map.toml");
    REQUIRE(::mkfifo((dir / "d-pijp.toml").c_str(), 0600) == 0);
    fs::create_symlink("nergens.toml", dir / "e-los.toml");
    fs::create_symlink("f-lus.toml", dir / "f-lus.toml");
    fs::create_symlink("/dev/zero", dir / "g-nul.toml");
    write(dir / "h-kapot.toml", "format = 1\nid = \n");
    write(dir / "LEESMIJ.md", "not a consultation: ignored");

    const ConsultationScan scan = scan_consultations({dir.path()});
    REQUIRE(scan.consultations.size() == 1);
    CHECK(scan.consultations[0].source == (dir / "a-goed.toml").string());
    std::vector<std::string> problems;
    for (const ConsultationError& e : scan.problems) {
        problems.push_back(e.to_string());
    }
    CAPTURE(problems);
    REQUIRE(problems.size() == 7);
    CHECK(problems[0] == (dir / "b-dubbel.toml").string() +
                             ": consultation 'minimaregelingen-ijmond' version 1 is also in " +
                             (dir / "a-goed.toml").string() + " (raise 'version' in the newer file)");
    CHECK(problems[1] == (dir / "c-map.toml").string() + ": not a regular file: it is a folder");
    CHECK(problems[2] == (dir / "d-pijp.toml").string() + ": not a regular file: it is a named pipe (FIFO)");
    CHECK(contains(problems[3], (dir / "e-los.toml").string() + ": cannot open: No such file or directory"));
    CHECK(contains(problems[4],
                   (dir / "f-lus.toml").string() + ": cannot open: Too many levels of symbolic links"));
    CHECK(problems[5] == (dir / "g-nul.toml").string() + ": not a regular file: it is a device");
    CHECK(contains(problems[6], (dir / "h-kapot.toml").string() + ":2:"));

    // The same file named twice (itself and its folder) is one consultation, not a duplicate.
    const ConsultationScan twice = scan_consultations({dir / "a-goed.toml", dir.path()});
    CHECK(twice.consultations.size() == 1);
    CHECK(twice.problems.size() == 7);
}

TEST_CASE("text rules: control, bidirectional and separator characters are refused, named and placed") {
    CHECK_FALSE(text_problem("Heel goed, dank u! é ë ï € “ja”", 100).has_value());
    CHECK_FALSE(text_problem("twee\nregels", 100).has_value());
    CHECK(text_problem("twee\nregels", 100, TextFlags_SingleLine) ==
          "contains a line break at character 5: remove it");
    CHECK(text_problem("a\tb", 100) == "contains a control character (U+0009) at character 2: remove it");
    CHECK(text_problem(std::string("a\0b", 3), 100) ==
          "contains a control character (U+0000) at character 2: remove it");
    CHECK(text_problem("ja\x7f", 100) == "contains a control character (U+007F) at character 3: remove it");
    CHECK(text_problem("ja\u202enee", 100) ==
          "contains a right-to-left override (U+202E) at character 3: remove it");
    CHECK(text_problem("\u202dja", 100) ==
          "contains a left-to-right override (U+202D) at character 1: remove it");
    for (const char* bidi : {"\u202a", "\u202b", "\u202c", "\u2066", "\u2067", "\u2068", "\u2069"}) {
        CAPTURE(bidi);
        CHECK(contains(text_problem(std::string("x") + bidi, 100).value_or(""),
                       "bidirectional control character"));
    }
    CHECK(contains(text_problem("a\u2028b", 100).value_or(""), "line or paragraph separator (U+2028)"));
    CHECK(text_problem("\xc2\x85", 100) == "contains a control character (U+0085) at character 1: remove it");
    CHECK(text_problem("ab\xff", 100) == "is not valid UTF-8 (at byte 3)");
    // Sequences a loose decoder would take: each is refused at the byte where it starts.
    CHECK(text_problem("a\xc0\xaf", 100) == "is not valid UTF-8 (at byte 2)");        // overlong '/'
    CHECK(text_problem("\xe0\x80\x8a", 100) == "is not valid UTF-8 (at byte 1)");     // overlong line break
    CHECK(text_problem("ok\xed\xa0\x80", 100) == "is not valid UTF-8 (at byte 3)");   // a UTF-16 surrogate
    CHECK(text_problem("\xf4\x90\x80\x80", 100) == "is not valid UTF-8 (at byte 1)"); // past U+10FFFF
    CHECK(text_problem("ja\xe2\x82", 100) == "is not valid UTF-8 (at byte 3)");       // cut off at the end
    CHECK(text_problem("\xe2\x82"
                       "a",
                       100) == "is not valid UTF-8 (at byte 1)");         // cut off by a letter
    CHECK(text_problem("\x80", 100) == "is not valid UTF-8 (at byte 1)"); // a stray continuation
    // The first problem in reading order is the one named.
    CHECK(text_problem("\u202e\xff", 100) ==
          "contains a right-to-left override (U+202E) at character 1: remove it");
    // Arabic letters and the marks that only set direction (not override it) are text, not tricks.
    CHECK_FALSE(text_problem("نعم \u200f", 100).has_value());
}

TEST_CASE("text rules: lengths count characters, not bytes, and the message gives both numbers") {
    CHECK_FALSE(text_problem(std::string(150, 'a'), kMaxTitleLength).has_value());
    CHECK(text_problem(std::string(60000, 'a'), kMaxTitleLength) ==
          "is 60000 characters long; at most 150 fit on the kiosk's screen");
    std::string accents;
    for (int i = 0; i < 150; ++i) {
        accents += "é";
    }
    CHECK_FALSE(text_problem(accents, kMaxTitleLength).has_value());
    CHECK(text_rule_for_key("title").max_length == kMaxTitleLength);
    CHECK(text_rule_for_key("intro").max_length == kMaxIntroLength);
    CHECK(text_rule_for_key("hint").max_length == kMaxHintLength);
    CHECK(text_rule_for_key("text").max_length == kMaxQuestionTextLength);
}

TEST_CASE("a 60 000-character title is refused by the loader with the limit and the line") {
    std::string text = buurtstem::test::read_file(kDemo);
    const std::string original = "title.nl = \"Regelingen voor inwoners met een laag inkomen\"";
    REQUIRE(contains(text, original));
    // The line of the title in the demo file (its header comments may grow).
    const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + text.find(original), '\n'));
    text.replace(text.find(original), original.size(), "title.nl = \"" + std::string(60000, 'x') + "\"");
    auto loaded = parse_consultation(text, "lang.toml");
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().line == line);
    CHECK(loaded.error().to_string() ==
          "lang.toml:" + std::to_string(line) +
              ":12: 'title.nl' is 60000 characters long; at most 150 fit on the "
              "kiosk's screen");
}

TEST_CASE("plain-language warnings: long sentences and long words, not addresses") {
    CHECK(plain_language_problems("Kent u de regelingen? Ja.").empty());
    const auto long_sentence = plain_language_problems(
        "Wij willen graag van u weten hoe u de regelingen van de gemeente vindt en wat er beter kan. Kort.");
    REQUIRE(long_sentence.size() == 1);
    CHECK(long_sentence[0] ==
          "a sentence of 19 words (B1: at most 15): \"Wij willen graag van u weten ...\"");
    const auto long_word = plain_language_problems("De arbeidsongeschiktheidsverzekering.");
    REQUIRE(long_word.size() == 1);
    CHECK(long_word[0] ==
          "a long word (33 letters; B1: prefer at most 18): \"arbeidsongeschiktheidsverzekering\"");
    CHECK(plain_language_problems("Kijk op www.beverwijk.nl/minimaregelingen of mail info@gemeente.nl.")
              .empty());

    auto demo = load_consultation_file(kDemo);
    REQUIRE(demo.ok());
    const auto warnings = plain_language_warnings(*demo);
    REQUIRE_FALSE(warnings.empty());
    CHECK(warnings[0].rfind("question 'kent-regelingen' hint.nl: a sentence of 20 words", 0) == 0);
}
