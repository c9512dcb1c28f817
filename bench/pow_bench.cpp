// PoW figures: the solver's hashes/s on every core beside the ceiling (a bare SHA256_Transform
// loop on as many threads), and median wall times to solve difficulty 18 and 22.
// Prints `name value` lines for bench/run.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/pow/pow.hpp"

namespace {

using Clock = std::chrono::steady_clock;
constexpr double k_measure_seconds = 1;
constexpr int k_rounds = 3;  // raw and solver alternate, so slow drifts in load hit both

unsigned cores() { return std::max(1u, std::thread::hardware_concurrency()); }

// The ceiling: one block transformed again and again from the same state, as the solver does
// (independent transforms overlap in the CPU; a chained loop, each from the previous output,
// measures ~20% lower and would flatter the solver).
std::uint64_t transform_loop(const std::atomic<bool>& stop) {
    SHA256_CTX start;
    SHA256_Init(&start);
    SHA256_CTX ctx = start;
    const unsigned char block[64] = {'b', 'e', 'n', 'c', 'h'};
    std::uint64_t count = 0;
    unsigned sink = 0;
    while (!stop.load(std::memory_order_relaxed)) {
        for (int i = 0; i < 4096; ++i) {
            std::memcpy(ctx.h, start.h, sizeof ctx.h);
            SHA256_Transform(&ctx, block);
            sink |= ctx.h[0];
        }
        count += 4096;
    }
    return count + (sink == 42 ? 1 : 0);  // keeps the loop observable
}

// Work done in a span of wall time and of process CPU time (all threads).
struct Sample {
    double hashes = 0;
    double wall = 0;
    double cpu = 0;
    Sample& operator+=(const Sample& o) {
        hashes += o.hashes, wall += o.wall, cpu += o.cpu;
        return *this;
    }
};

double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

template <typename Work>
Sample measure(Work work) {
    const auto wall = Clock::now();
    const double cpu = cpu_seconds();
    const double hashes = work();
    return {hashes, std::chrono::duration<double>(Clock::now() - wall).count(), cpu_seconds() - cpu};
}

double raw_transforms() {
    std::atomic<bool> stop{false};
    std::vector<std::uint64_t> counts(cores());
    std::vector<std::thread> threads;
    for (unsigned i = 0; i < cores(); ++i) threads.emplace_back([&, i] { counts[i] = transform_loop(stop); });
    std::this_thread::sleep_for(std::chrono::duration<double>(k_measure_seconds));
    stop = true;
    for (auto& t : threads) t.join();
    double total = 0;
    for (const auto c : counts) total += static_cast<double>(c);
    return total;
}

std::string random_nonce(std::mt19937_64& rng) {
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string nonce(32, '0');
    for (auto& c : nonce) c = k_hex[rng() % 16];
    return nonce;
}

double solver_hashes(std::mt19937_64& rng) {
    const otts::pow::Challenge unsolvable{"sealed:", random_nonce(rng), otts::pow::k_max_difficulty};
    return static_cast<double>(otts::pow::solve(unsolvable, {.timeout_seconds = k_measure_seconds}).stats.hashes);
}

double median_solve_ms(int difficulty, int runs, std::mt19937_64& rng) {
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        const auto start = Clock::now();
        const auto result = otts::pow::solve({"sealed:", random_nonce(rng), difficulty}, {});
        if (!result.solution) std::fprintf(stderr, "pow_bench: no solution at difficulty %d\n", difficulty);
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

}  // namespace

int main() {
    std::mt19937_64 rng(std::random_device{}());
    Sample raw;
    Sample solver;
    for (int i = 0; i < k_rounds; ++i) {
        raw += measure(raw_transforms);
        solver += measure([&rng] { return solver_hashes(rng); });
    }
    std::printf("pow_hashes_per_s_all_cores %.0f\n", solver.hashes / solver.wall);
    std::printf("sha256_block_transform_per_s_all_cores %.0f\n", raw.hashes / raw.wall);
    // Per CPU-second, so that other processes taking cores during one measurement and not the
    // other do not skew the comparison.
    std::printf("pow_ratio_percent %.1f\n", 100 * (solver.hashes / solver.cpu) / (raw.hashes / raw.cpu));
    std::printf("pow_d18_median_ms %.1f\n", median_solve_ms(18, 15, rng));
    std::printf("pow_d22_median_ms %.1f\n", median_solve_ms(22, 5, rng));
}
