# Build time is a feature (CONVENTIONS.md). What pays here, measured (README "Build"): unity
# builds (the presets turn them on: the heavy headers, nlohmann-json, CLI11 and Catch2, are then
# instantiated once per batch rather than once per file) and a compiler cache. Precompiled
# headers were tried and dropped: on top of unity builds they cost more than they saved (the unit
# tests under clang: 484 s of CPU with a Catch2 + json PCH, 376 s without).

# ccache (scripts/bootstrap installs it) for every preset. base_dir makes hits independent of
# where the checkout lives (a second clone or worktree hits the first one's cache); the mtime and
# ctime sloppiness lets a fresh clone, whose files are all new, hit too.
# CMAKE_CXX_COMPILER_LAUNCHER set by the caller wins.
find_program(OTTS_CCACHE ccache)
if(OTTS_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER
      env CCACHE_SLOPPINESS=include_file_mtime,include_file_ctime
      CCACHE_BASEDIR=${PROJECT_SOURCE_DIR} ${OTTS_CCACHE})
endif()
