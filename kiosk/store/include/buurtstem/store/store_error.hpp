#pragma once

#include <string>

namespace buurtstem {

struct StoreError {
    enum class Kind {
        CannotOpen,  // file missing folder, no permission, not a database
        NewerSchema, // written by a newer Buurtstem: refuse rather than damage it
        DiskFull,    // nothing was written; free space and try again
        Duplicate,   // a response with this id is already stored
        Failed,      // any other SQLite failure
    };
    Kind kind = Kind::Failed;
    std::string message; // names the file and what went wrong

    std::string to_string() const { return message; }
};

} // namespace buurtstem
