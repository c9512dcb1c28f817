// The PoW search loop. Speed is the point: each candidate costs one SHA-256 block transform on
// a copy of a precomputed midstate, so OpenSSL's low-level SHA256_Transform (deprecated in 3.0
// but still the fastest portable entry to its SHA-NI/AVX code) is used directly here.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/pow/pow.hpp"

namespace otts::pow {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::uint64_t k_chunk = 100'000;  // candidates claimed at a time; a multiple of 10
constexpr std::size_t k_block = 64;
constexpr std::size_t k_padding = 9;  // 0x80 and the 64-bit message length
constexpr int k_min_width = 6;
constexpr int k_max_width = 19;  // 10^19 still fits a uint64_t counter
constexpr auto k_progress_period = std::chrono::milliseconds(200);

using Block = std::array<unsigned char, k_block>;

// Everything shared by all candidates of one challenge.
struct Template {
    SHA256_CTX midstate{};      // over every complete block before the final one
    Block block{};              // final block: tail, digits, padding, length
    std::string filler;         // '0's that start every solution
    std::size_t digits_at = 0;  // where the counter digits sit in `block`
    int width = 0;              // fixed number of counter digits
    std::uint64_t mask = 0;     // over the first 64 digest bits, big-endian
};

// Room for 2^16 times the expected work, so running out is never what stops a search; the
// 19-digit cap only binds beyond difficulty 47, where no search finishes in a lifetime anyway.
int counter_width(int difficulty) {
    const auto digits = static_cast<int>(std::ceil((difficulty + 16) * std::log10(2.0)));
    return std::clamp(digits, k_min_width, k_max_width);
}

std::uint64_t power_of_ten(int exponent) {
    std::uint64_t value = 1;
    for (int i = 0; i < exponent; ++i) value *= 10;
    return value;
}

void put_length(Block& block, std::uint64_t message_bytes) {
    const std::uint64_t bits = message_bytes * 8;
    for (int i = 0; i < 8; ++i) block[k_block - 1 - i] = static_cast<unsigned char>(bits >> (8 * i));
}

Template make_template(const Challenge& challenge) {
    Template t;
    t.width = counter_width(challenge.difficulty);
    t.mask = challenge.difficulty == 0 ? 0 : ~std::uint64_t{0} << (64 - challenge.difficulty);
    std::string fixed = challenge.prefix + challenge.nonce;
    // Digits and padding must share one final block; otherwise pad to a block boundary with
    // '0's (still a decimal solution) so that the varying part starts a fresh block.
    const std::size_t tail = fixed.size() % k_block;
    if (tail + t.width + k_padding > k_block) t.filler.assign(k_block - tail, '0');
    fixed += t.filler;
    const std::size_t full = fixed.size() - fixed.size() % k_block;
    SHA256_Init(&t.midstate);
    SHA256_Update(&t.midstate, fixed.data(), full);
    t.digits_at = fixed.size() - full;
    std::memcpy(t.block.data(), fixed.data() + full, t.digits_at);
    t.block[t.digits_at + t.width] = 0x80;
    put_length(t.block, fixed.size() + t.width);
    return t;
}

void write_counter(char* digits, int width, std::uint64_t value) {
    for (int i = width - 1; i >= 0; --i, value /= 10) digits[i] = static_cast<char>('0' + value % 10);
}

void increment(char* digits, int width) {
    int i = width - 1;
    while (i > 0 && digits[i] == '9') digits[i--] = '0';
    ++digits[i];
}

// Ten copies of the final block, one per last digit. Writing a block's digits right before
// hashing it costs a store-forwarding stall on every candidate (~15% of the rate); each lane's
// higher digits are instead rewritten for the next decade just after it is hashed, nine
// transforms before it is read again.
using Lanes = std::array<Block, 10>;

Lanes make_lanes(const Template& t) {
    Lanes lanes;
    for (std::size_t k = 0; k < lanes.size(); ++k) {
        lanes[k] = t.block;
        lanes[k][t.digits_at + t.width - 1] = static_cast<unsigned char>('0' + k);
    }
    return lanes;
}

bool solves(const Template& t, SHA256_CTX& work, const Block& block) {
    std::memcpy(work.h, t.midstate.h, sizeof work.h);
    SHA256_Transform(&work, block.data());
    // h[0], h[1] are the digest's first two big-endian words: no byte swap needed.
    const std::uint64_t head = std::uint64_t{work.h[0]} << 32 | work.h[1];
    return (head & t.mask) == 0;
}

struct ScanResult {
    std::uint64_t hashed = 0;
    const Block* solution = nullptr;
};

// Tries `count` counters from `first` (a multiple of 10). Watches `stop` once a decade: another
// thread's find should not wait for the rest of a chunk (milliseconds, at difficulty 18 a
// large share of the whole solve).
ScanResult scan(const Template& t, Lanes& lanes, std::uint64_t first, std::uint64_t count,
                const std::atomic<bool>& stop) {
    const int upper_width = t.width - 1;
    std::array<char, k_max_width> upper{};
    write_counter(upper.data(), upper_width, first / 10);
    for (auto& lane : lanes) std::memcpy(lane.data() + t.digits_at, upper.data(), upper_width);
    SHA256_CTX work = t.midstate;
    ScanResult result;
    while (!stop.load(std::memory_order_relaxed)) {
        increment(upper.data(), upper_width);
        for (auto& lane : lanes) {
            if (result.hashed == count) return result;
            ++result.hashed;
            if (solves(t, work, lane)) return {result.hashed, &lane};
            std::memcpy(lane.data() + t.digits_at, upper.data(), upper_width);
        }
    }
    return result;
}

struct Search {
    Search(const Template& tmpl, std::uint64_t max_counter, const std::function<void(std::uint64_t)>& report)
        : t(tmpl), limit(max_counter), progress(report) {}

    const Template& t;
    std::uint64_t limit;  // counters [0, limit) may be tried
    const std::function<void(std::uint64_t)>& progress;
    std::optional<Clock::time_point> deadline;
    std::atomic<std::uint64_t> next_chunk{0};
    std::atomic<std::uint64_t> hashes{0};
    std::atomic<bool> stop{false};
    std::mutex found_mutex;
    std::optional<std::string> solution;
};

void record(Search& s, const Block& block) {
    const std::lock_guard lock(s.found_mutex);
    if (s.solution) return;
    s.solution = s.t.filler + std::string(reinterpret_cast<const char*>(block.data() + s.t.digits_at), s.t.width);
    s.stop = true;
}

// Between chunks: the deadline, and progress from the one reporting thread.
void check_bounds(Search& s, bool reports, Clock::time_point& last_report) {
    if (!s.deadline && !(reports && s.progress)) return;
    const auto now = Clock::now();
    if (s.deadline && now >= *s.deadline) s.stop = true;
    if (reports && s.progress && now - last_report >= k_progress_period) {
        last_report = now;
        s.progress(s.hashes.load(std::memory_order_relaxed));
    }
}

void worker(Search& s, bool reports) {
    auto lanes = make_lanes(s.t);
    auto last_report = Clock::now();
    while (!s.stop.load(std::memory_order_relaxed)) {
        const std::uint64_t start = s.next_chunk.fetch_add(1) * k_chunk;
        if (start >= s.limit) return;
        const auto scanned = scan(s.t, lanes, start, std::min(k_chunk, s.limit - start), s.stop);
        s.hashes.fetch_add(scanned.hashed, std::memory_order_relaxed);
        if (scanned.solution) return record(s, *scanned.solution);
        check_bounds(s, reports, last_report);
    }
}

unsigned thread_count(const SolveLimits& limits) {
    if (limits.threads != 0) return limits.threads;
    return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

SolveResult solve(const Challenge& challenge, const SolveLimits& limits,
                  const std::function<void(std::uint64_t hashes)>& progress) {
    if (challenge.difficulty < 0 || challenge.difficulty > k_max_difficulty) return {};
    const auto started = Clock::now();
    const Template t = make_template(challenge);
    std::uint64_t limit = power_of_ten(t.width);
    if (limits.max_iterations != 0) limit = std::min(limit, limits.max_iterations);
    Search s(t, limit, progress);
    if (limits.timeout_seconds > 0) {
        s.deadline = started +
                     std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(limits.timeout_seconds));
    }
    std::vector<std::jthread> helpers;
    for (unsigned i = 1; i < thread_count(limits); ++i) helpers.emplace_back([&s] { worker(s, false); });
    worker(s, true);  // the calling thread works too, and is the one that reports progress
    helpers.clear();  // joins
    SolveResult result{std::move(s.solution),
                       {s.hashes.load(), std::chrono::duration<double>(Clock::now() - started).count()}};
    if (result.solution && !pow_valid(challenge.prefix, challenge.nonce, *result.solution, challenge.difficulty)) {
        throw std::logic_error("pow solver produced an invalid solution");
    }
    return result;
}

}  // namespace otts::pow
