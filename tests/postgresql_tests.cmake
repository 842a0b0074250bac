# Included by ctest (TEST_INCLUDE_FILES, see tests/CMakeLists.txt): registers every test case of the
# unit and integration binaries that is marked `* doctest::test_suite("server-store")` a second time,
# as unit.pg.NAME / integration.pg.NAME, run against PostgreSQL (BUURTSTEM_TEST_STORE=postgresql) in
# the cluster of the fixture pg.cluster.start; and buurtstem_postgresql_tests' cases as pg.NAME. doctest_discover_tests cannot select by suite (its
# TEST_SPEC is a --test-case filter), hence this small lister of our own.
#
# In: BUURTSTEM_PG_BINARIES (prefix=binary=suite;...), BUURTSTEM_PG_WORKING_DIR.
foreach(entry ${BUURTSTEM_PG_BINARIES})
    string(REPLACE "=" ";" parts "${entry}")
    list(GET parts 0 prefix)
    list(GET parts 1 binary)
    list(GET parts 2 suite)
    if(NOT EXISTS "${binary}")
        add_test("${prefix}NOT_BUILT" "${prefix}NOT_BUILT")
        continue()
    endif()
    execute_process(COMMAND "${binary}" --list-test-cases --test-suite=${suite}
                    OUTPUT_VARIABLE output RESULT_VARIABLE result)
    if(NOT result EQUAL 0)
        add_test("${prefix}CANNOT_LIST" "${prefix}CANNOT_LIST")
        continue()
    endif()
    string(REPLACE "\n" ";" lines "${output}")
    foreach(name ${lines})
        if(name STREQUAL "" OR name MATCHES "^===" OR name MATCHES "^\\[doctest\\] ")
            continue()
        endif()
        string(REPLACE "," "\\," filter "${name}") # a comma separates doctest filters
        add_test("${prefix}${name}" "${binary}" "--test-case=${filter}")
        set_tests_properties("${prefix}${name}" PROPERTIES
            WORKING_DIRECTORY "${BUURTSTEM_PG_WORKING_DIR}"
            TIMEOUT 120
            FAIL_REGULAR_EXPRESSION "test cases: +0 [|]"
            FIXTURES_REQUIRED postgresql
            ENVIRONMENT "BUURTSTEM_TEST_STORE=postgresql"
            ENVIRONMENT_MODIFICATION "https_proxy=unset:;HTTPS_PROXY=unset:;http_proxy=unset:;HTTP_PROXY=unset:;all_proxy=unset:;ALL_PROXY=unset:")
    endforeach()
endforeach()
