#include "adapters/data_home.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include "core/jose/crypto.hpp"

namespace otts {
namespace {

Error io_error(const std::filesystem::path& path, const std::string& what) {
    return make_error(ErrorCode::store_error, what + " " + path.string() + ": " + std::strerror(errno));
}

Result<void> write_all(int fd, const std::string& content) {
    std::size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return make_error(ErrorCode::store_error, std::strerror(errno));
        done += static_cast<std::size_t>(n);
    }
    return Ok{};
}

Result<void> ensure_dir(const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir.parent_path(), ec);
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return io_error(dir, "cannot create data home");
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return io_error(dir, "data home is not a directory:");
    if (::access(dir.c_str(), W_OK | X_OK) != 0) return io_error(dir, "data home is not writable:");
    return Ok{};
}

}  // namespace

std::filesystem::path resolve_home_dir(const std::optional<std::filesystem::path>& explicit_dir) {
    if (explicit_dir && !explicit_dir->empty()) return *explicit_dir;
    const auto env = [](const char* name) -> std::string {
        const char* v = std::getenv(name);
        return v ? v : "";
    };
    if (auto v = env("OTTS_HOME"); !v.empty()) return v;
    if (auto v = env("XDG_DATA_HOME"); !v.empty()) return std::filesystem::path(v) / "otts";
    const std::string home = env("HOME").empty() ? "." : env("HOME");
    return std::filesystem::path(home) / ".local" / "share" / "otts";
}

Result<void> write_file_once(const std::filesystem::path& path, const std::string& content, Random& random,
                             mode_t mode) {
    if (::access(path.c_str(), F_OK) == 0) return Ok{};
    // Written aside and linked into place: readers never see a half-written file, and link()
    // fails with EEXIST for every writer but the first.
    const auto tmp = path.parent_path() / ("." + path.filename().string() + "." + random.hex(6));
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) return io_error(tmp, "cannot create");
    auto written = write_all(fd, content);
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    const bool linked = written && synced && (::link(tmp.c_str(), path.c_str()) == 0 || errno == EEXIST);
    const int saved = errno;
    ::unlink(tmp.c_str());
    errno = saved;
    if (!linked) return io_error(path, "cannot write");
    return Ok{};
}

Result<std::string> read_file(const std::filesystem::path& path) {
    // An ifstream opens a directory without complaint on Linux and then reads nothing.
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        return make_error(ErrorCode::key_error, "cannot read " + path.string() + ": is a directory");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return make_error(ErrorCode::key_error, "cannot read " + path.string() + ": " + std::strerror(errno));
    }
    // One byte more than the limit tells a file at the limit from a larger one.
    std::string text(k_max_file_bytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad()) return make_error(ErrorCode::key_error, "cannot read " + path.string());
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > k_max_file_bytes) {
        return make_error(ErrorCode::key_error, "cannot read " + path.string() + ": larger than " +
                                                    std::to_string(k_max_file_bytes / 1024) + " KiB");
    }
    return text;
}

Result<DataHome> ensure_data_home(const std::filesystem::path& dir, Random& random) {
    OTTS_TRY_VOID(ensure_dir(dir));
    DataHome home{dir};
    // 32 random bytes as 64 hex characters: a string secret, as the originals' JWT_SECRET is.
    OTTS_TRY_VOID(write_file_once(home.secret_path(), random.hex(32) + "\n", random));
    if (::access(home.license_key_path().c_str(), F_OK) != 0) {
        OTTS_TRY(const auto pair, crypto::PKey::generate_p256());
        OTTS_TRY_VOID(write_file_once(home.license_key_path(), pair.private_pem(), random));
    }
    if (::access(home.license_pub_path().c_str(), F_OK) != 0) {
        // Derived from whichever private key won the race to be written.
        OTTS_TRY(const auto pem, read_file(home.license_key_path()));
        OTTS_TRY(const auto key, crypto::PKey::from_pem(pem));
        OTTS_TRY_VOID(write_file_once(home.license_pub_path(), key.public_pem(), random, 0644));
    }
    return home;
}

}  // namespace otts
