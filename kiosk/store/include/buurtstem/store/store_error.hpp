#pragma once

#include <string>

namespace buurtstem {

struct StoreError {
    enum class Kind {
        CannotOpen,  // file missing folder, no permission, not a database
        NewerSchema, // written by a newer Buurtstem: refuse rather than damage it
        DiskFull,    // nothing was written; free space and try again
        Duplicate,   // a response with this id is already stored
        Invalid, // the caller's input was refused (an event while one runs, an empty name): message says why
        Failed,  // any other SQLite failure
    };
    Kind kind = Kind::Failed;
    std::string message; // names the file and what went wrong

    std::string to_string() const { return message; }
};

} // namespace buurtstem
