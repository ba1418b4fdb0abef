# Warning flags for salespipe's OWN targets (tests, examples, benchmarks, header checks).
# Never applied to the exported salespipe / salespipe::io targets: consumers choose their own
# flags. SALESPIPE_WERROR (option in the top-level CMakeLists.txt, CI turns it ON) adds
# -Werror. Dependencies come in as imported targets, hence as system headers, so their
# warnings never reach -Werror.
#
# -Wsign-conversion is listed explicitly: Clang's -Wconversion already implies it, GCC's does
# not; naming it keeps the two compilers' verdicts the same, so a GCC build catches what the
# Clang CI build would reject.
#
#   salespipe_target_warnings(<target>)
include_guard(GLOBAL)

function(salespipe_target_warnings target)
  if(MSVC)
    set(_flags /W4 /permissive-)
    if(SALESPIPE_WERROR)
      list(APPEND _flags /WX)
    endif()
  else()
    set(_flags -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow)
    if(SALESPIPE_WERROR)
      list(APPEND _flags -Werror)
    endif()
  endif()
  target_compile_options(${target} PRIVATE ${_flags})
endfunction()
