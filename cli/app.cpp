#include "cli/app.hpp"

#include <CLI/CLI.hpp>

namespace otts::cli {
int run(int argc, char** argv) {
    CLI::App app{"otts: the one-time token service"};
    CLI11_PARSE(app, argc, argv);
    return 0;
}
}  // namespace otts::cli
