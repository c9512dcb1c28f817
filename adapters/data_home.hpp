#pragma once
// The data home of DESIGN §9: a 0700 directory holding otts.db, a random HS256 secret (0600)
// and a license key pair, made on first use so that `otts issue` and `otts serve` work at
// once and agree. Several processes may create it at the same time: each file appears whole
// (written aside, then linked into place) and the first writer wins.
#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <optional>

#include "core/ports/random.hpp"
#include "core/result.hpp"

namespace otts {

struct DataHome {
    std::filesystem::path dir;

    std::filesystem::path db_path() const { return dir / "otts.db"; }
    std::filesystem::path secret_path() const { return dir / "secret"; }
    std::filesystem::path license_key_path() const { return dir / "license.key"; }
    std::filesystem::path license_pub_path() const { return dir / "license.pub"; }
    std::filesystem::path config_path() const { return dir / "config"; }
};

// `explicit_dir` (--home) > $OTTS_HOME > $XDG_DATA_HOME/otts > $HOME/.local/share/otts.
std::filesystem::path resolve_home_dir(const std::optional<std::filesystem::path>& explicit_dir);

// Creates the directory and any missing file. store_error (with the path) when the directory
// cannot be created or written.
Result<DataHome> ensure_data_home(const std::filesystem::path& dir, Random& random);

// Writes `content` to `path` with `mode` (0600 for secrets, 0644 for public keys) unless the
// file already exists (then leaves it).
Result<void> write_file_once(const std::filesystem::path& path, const std::string& content, Random& random,
                             mode_t mode = 0600);

// The most read_file reads: far more than any secret, key, license or policy file holds.
inline constexpr std::size_t k_max_file_bytes = 64 * 1024;

// Reads a whole file of at most k_max_file_bytes: the one reader of every file a user names
// (secret, key, license, policy files). key_error with the path and the reason when it cannot,
// or when the file is larger: /dev/zero or a huge file must not hang or fill the memory.
Result<std::string> read_file(const std::filesystem::path& path);

}  // namespace otts
