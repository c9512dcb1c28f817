#!/usr/bin/env bash
# scripts/check-layering, the dependency rule of ARCHITECTURE.md: the repository passes, and a
# tree with one include across each kind of forbidden edge fails naming that include.
source "$(dirname "$0")/lib.sh"

CHECK="$OTTS_SOURCE_DIR/scripts/check-layering"
expect_exit 0 "the repository follows the dependency rule" -- "$CHECK" "$OTTS_SOURCE_DIR"

# fixture_tree: a small clean tree in $WORK/tree with one file per layer.
fixture_tree() {
    rm -rf "$WORK/tree"
    mkdir -p "$WORK/tree"/{core/encoding,core/jose,core/api,adapters,app,emulator,lambda,cli}
    cd "$WORK/tree"
    echo '#include <string>' >core/error.hpp
    echo '#include "core/error.hpp"' >core/encoding/base64.hpp
    printf '#include "core/encoding/base64.hpp"\n#include "core/error.hpp"\n' >core/jose/jwt.hpp
    echo '#include "core/jose/jwt.hpp"' >core/api/api.hpp
    echo '#include "core/api/api.hpp"' >adapters/store.hpp
    echo '#include "adapters/store.hpp"' >app/services.hpp
    echo '#include "app/services.hpp"' >emulator/serve.cpp
    echo '#include "app/services.hpp"' >lambda/main.cpp
    printf '#include "emulator/serve.hpp"\n#include "app/services.hpp"\n' >cli/cmd_serve.cpp
    cd - >/dev/null
}

fixture_tree
expect_exit 0 "a clean fixture tree passes" -- "$CHECK" "$WORK/tree"

# forbidden FILE INCLUDE WHAT: FILE gains the include; the check fails and names it.
forbidden() {
    fixture_tree
    echo "#include \"$2\"" >>"$WORK/tree/$1"
    expect_exit 1 "$3" -- "$CHECK" "$WORK/tree"
    grep -q "^$1:[0-9]*: includes $2" <<<"$OUT" && pass "the report names $1 → $2" || fail "report: $OUT"
}
forbidden core/jose/jwt.hpp adapters/store.hpp "core including adapters fails"
forbidden adapters/store.hpp app/services.hpp "adapters including app fails"
forbidden app/services.hpp emulator/serve.hpp "app including a front end fails"
forbidden lambda/main.cpp emulator/serve.hpp "lambda including the emulator fails"
forbidden emulator/serve.cpp lambda/handler.hpp "the emulator including lambda fails"
forbidden cli/cmd_serve.cpp lambda/handler.hpp "cli including lambda fails"
forbidden core/encoding/base64.hpp core/jose/jwt.hpp "a lower core folder including a higher one fails"
forbidden core/jose/jwt.hpp core/api/api.hpp "jose including api fails"
forbidden core/error.hpp core/encoding/base64.hpp "core's own top including a sub-folder fails"

finish
