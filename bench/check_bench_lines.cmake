# Runs `buurtstem_bench --quick` and fails unless every figure line the README and scripts rely on is
# printed, alone on its line, as "figure NAME: VALUE UNIT; floor VALUE UNIT; ratio R". The values are
# not judged: timed assertions do not belong in tests.
execute_process(COMMAND ${BENCH} --quick OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
message("${out}")
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "buurtstem_bench --quick failed (${rc}): ${err}")
endif()
set(number "[0-9]+(\\.[0-9]+)?(e[-+][0-9]+)?")
set(unit "[^;\n ]+")
foreach(name commit sync-10k ingest-https ingest-https-pg bytes-per-response idle-cpu first-frame peak-rss
             export-csv-100k export-peak-rss export-xlsx-100k export-xlsx-peak-rss dashboard-100k dashboard-peak-rss)
    if(NOT out MATCHES "(^|\n)figure ${name}: ${number} ${unit}; floor ${number} ${unit}; ratio ${number}\n")
        message(FATAL_ERROR "no well-formed 'figure ${name}: ...' line in the output above")
    endif()
endforeach()
