// JWT sign/verify throughput on one thread. Prints `name value` lines (ops per second) for
// bench/run. Seconds are this thread's CPU time, as `openssl speed` counts them by default, so
// the figures stay comparable with it on a busy machine. The payload is the one bench/jwt_node.mjs gives its peers; the
// *_onetime_* figures use the S1 one-time token shape {uuid, exp}, otts's busiest token.
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "core/jose/jwt.hpp"

using namespace otts;

namespace {

double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Calls `op` in batches until about a CPU second has passed; returns calls per second.
template <typename Op>
long long rate(Op op) {
    const double start = cpu_seconds();
    long long n = 0;
    double now = start;
    while (now - start < 1.0) {
        for (int i = 0; i < 100; ++i) op();
        n += 100;
        now = cpu_seconds();
    }
    return static_cast<long long>(static_cast<double>(n) / (now - start));
}

template <typename T>
T must(Result<T> r, const char* what) {
    if (!r) {
        std::fprintf(stderr, "jwt_bench: %s: %s\n", what, r.error().message().c_str());
        std::exit(1);
    }
    return std::move(r).value();
}

void bench_key(const char* name, const jwt::Key& key, const nlohmann::json& payload, UnixSeconds now) {
    const jwt::KeySet keys{key};
    const std::string token = must(jwt::encode(payload, key), "encode");
    must(jwt::verify(token, keys, {now}), "verify");
    std::printf("%s_sign_ops_per_s %lld\n", name, rate([&] {
                    if (!jwt::encode(payload, key)) std::abort();
                }));
    std::printf("%s_verify_ops_per_s %lld\n", name, rate([&] {
                    if (!jwt::verify(token, keys, {now})) std::abort();
                }));
    std::fflush(stdout);
}

}  // namespace

int main() {
    const UnixSeconds now = std::time(nullptr);
    const nlohmann::json payload = {
        {"uuid", "123e4567-e89b-42d3-a456-426614174000"}, {"exp", now + 3600}, {"iat", now}, {"scope", "x"}, {"n", 1}};
    const nlohmann::json onetime = {{"uuid", "123e4567-e89b-42d3-a456-426614174000"}, {"exp", now + 8 * 3600}};
    const auto hs = must(jwt::Key::hs256(std::string(64, 'k'), "0123abcd"), "hs256 key");
    const auto es = must(jwt::Key::es256(must(crypto::PKey::generate_p256(), "generate")), "es256 key");
    bench_key("hs256", hs, payload, now);
    bench_key("hs256_onetime", hs, onetime, now);
    bench_key("es256", es, payload, now);
    return 0;
}
