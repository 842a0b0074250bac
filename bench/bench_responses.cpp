#include "bench_responses.hpp"

#include "buurtstem/core/uuid.hpp"

namespace buurtstem::bench {

CompletedResponse bench_response(size_t i, const std::string& now) {
    static const char* const known[] = {"ja-goed", "een-paar", "nee"};
    // Not "ja": that would show the follow-up question, and every response here has the same 8 answers.
    static const char* const used[] = {"nee", "weet-niet", "zeg-niet"};
    static const char* const help[] = {"yes", "no", "unknown"};
    return {new_uuid_v4(),
            kConsultation,
            1,
            kDevice,
            i % 4 == 3 ? "en" : "nl",
            now,
            now,
            {{"kent-regelingen", known[i % 3]},
             {"gebruikt", used[i % 3]},
             {"aanvragen-makkelijk", std::to_string(1 + i % 5)},
             {"wat-houdt-tegen", "formulier-moeilijk,taal"},
             {"informatie-duidelijk", std::to_string(1 + (i + 2) % 5)},
             {"hoe-informeren", "persoonlijk,buurthuis,brief,internet"},
             {"hulp-bij-aanvragen", help[i % 3]},
             {"ideeen", "Meer uitleg in het buurthuis, en een formulier dat ik kan lezen. Nummer " +
                            std::to_string(i)}}};
}

} // namespace buurtstem::bench
