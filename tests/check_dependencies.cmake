# Dependencies point down: nothing in common/ or sync/ may include the kiosk's store, UI, flow or app.
# Run as: cmake -DSOURCE_DIR=<repo> -P tests/check_dependencies.cmake (a ctest entry does this).
file(GLOB_RECURSE sources
    "${SOURCE_DIR}/common/*.cpp" "${SOURCE_DIR}/common/*.hpp" "${SOURCE_DIR}/common/*.h"
    "${SOURCE_DIR}/sync/*.cpp" "${SOURCE_DIR}/sync/*.hpp" "${SOURCE_DIR}/sync/*.h")
set(problems "")
foreach(source IN LISTS sources)
    file(STRINGS "${source}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]buurtstem/(store|ui|flow|app)/")
    foreach(line IN LISTS lines)
        file(RELATIVE_PATH relative "${SOURCE_DIR}" "${source}")
        string(STRIP "${line}" line)
        string(APPEND problems "  ${relative}: ${line}\n")
    endforeach()
endforeach()
list(LENGTH sources count)
if(count EQUAL 0)
    message(FATAL_ERROR "no sources found under ${SOURCE_DIR}/common or /sync: wrong SOURCE_DIR?")
endif()
if(problems)
    message(FATAL_ERROR "common/ and sync/ must not include kiosk headers:\n${problems}")
endif()
message(STATUS "checked ${count} files in common/ and sync/: no kiosk includes")
