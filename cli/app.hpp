#pragma once
namespace otts::cli {
// Parses argv, runs the chosen subcommand and returns the process exit code (DESIGN §10).
int run(int argc, char** argv);
}  // namespace otts::cli
