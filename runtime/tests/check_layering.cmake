# ctest runtime_layering: the runtime (runtime/, WASI included) depends only on libc, the OS
# and its own headers (DESIGN.md, STYLE.md section 2). Fails on any #include of a compiler
# layer's header (ir/, frontend/, backends/) or of tools/ or spec-tests/.
# Usage: cmake -DRUNTIME_DIR=<repo>/runtime -P check_layering.cmake
file(GLOB_RECURSE sources "${RUNTIME_DIR}/*.c" "${RUNTIME_DIR}/*.h" "${RUNTIME_DIR}/*.S")
set(bad "")
set(count 0)
foreach(f ${sources})
    # Tests may use the shared test-only check.h; everything else is checked.
    file(STRINGS "${f}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<]")
    math(EXPR count "${count} + 1")
    foreach(line ${lines})
        if(line MATCHES "[\"<](ir|frontend|backends|tools|spec-tests)/")
            string(APPEND bad "  ${f}: ${line}\n")
        endif()
    endforeach()
endforeach()
if(count EQUAL 0)
    message(FATAL_ERROR "runtime_layering: no sources found under ${RUNTIME_DIR}")
endif()
if(bad)
    message(FATAL_ERROR "runtime_layering: the runtime includes compiler headers:\n${bad}")
endif()
message(STATUS "runtime_layering: ${count} files, no compiler headers")
