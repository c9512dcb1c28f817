# Build time is a feature (CONVENTIONS.md): a compiler cache when installed and precompiled
# headers for the heavy third-party headers. Measured figures are in the README ("Build").

# ccache (scripts/bootstrap installs it) for every preset. The sloppiness is what ccache needs to
# cache translation units that use a precompiled header; base_dir makes hits independent of
# where the checkout lives. CMAKE_CXX_COMPILER_LAUNCHER set by the caller wins.
find_program(OTTS_CCACHE ccache)
if(OTTS_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER
      env CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
      CCACHE_BASEDIR=${PROJECT_SOURCE_DIR} ${OTTS_CCACHE})
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    add_compile_options(-fpch-preprocess)  # lets ccache hash a TU that includes a .gch
  endif()
endif()

# The standard headers most otts files include and nlohmann-json, which 3 of 4 translation units
# reach through core's headers. Each target gets its own copy: one PCH cannot serve targets whose
# definitions differ, and clang refuses a PCH built with other macros.
set(OTTS_PCH_COMMON
    <algorithm> <array> <chrono> <cstdint> <functional> <map> <memory> <mutex> <optional>
    <string> <string_view> <utility> <vector> <nlohmann/json.hpp>)

# otts_precompile(target [header ...]): OTTS_PCH_COMMON plus the given headers.
function(otts_precompile target)
  target_precompile_headers(${target} PRIVATE ${OTTS_PCH_COMMON} ${ARGN})
endfunction()
