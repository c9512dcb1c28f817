// otts: wires the subcommands together; everything else lives in otts_cli and below.
#include "cli/app.hpp"

int main(int argc, char** argv) { return otts::cli::run(argc, argv); }
