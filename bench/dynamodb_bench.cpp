// Single-use consume throughput through DynamoStore on the DynamoDB at DYNAMODB_ENDPOINT (run by
// bench/aws/run against dynalite, which is not DynamoDB: the figure is for the record). Fresh
// tables with a unique prefix; put, then consume each row once, from 1 and from 8 threads.
// Prints `name value` lines. Usage: dynamodb_bench [rows]
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "adapters/dynamodb/dynamodb_store.hpp"
#include "adapters/system_clock.hpp"

namespace {

using otts::TokenKind;

constexpr otts::UnixSeconds k_now = 1'700'000'000;
constexpr otts::UnixSeconds k_exp = k_now + 3600;

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "dynamodb_bench: %s\n", what.c_str());
    std::exit(1);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string id_of(int i) { return "00000000-0000-4000-8000-" + std::to_string(100000000000 + i); }

// Runs `body(i)` for i in [first, first + rows) on `threads` threads; returns ops/s.
template <typename Body>
double run(int first, int rows, int threads, Body body) {
    std::atomic<int> next{first};
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&] {
            for (int i = next++; i < first + rows; i = next++) body(i);
        });
    }
    for (auto& thread : pool) thread.join();
    return rows / seconds_since(start);
}

}  // namespace

int main(int argc, char** argv) {
    const int rows = argc > 1 ? std::atoi(argv[1]) : 2000;
    const otts::Settings settings(otts::process_environment());  // DYNAMODB_ENDPOINT and AWS_*
    const otts::SystemClock clock;
    auto client = otts::make_dynamodb_client(settings, clock);
    if (!client) die(client.error().message());
    const auto tables = otts::DynamoTables{}.with_prefix("bench" + std::to_string(::getpid()) + "-");
    if (auto made = otts::create_tables(**client, tables); !made) die(made.error().message());
    auto store = otts::DynamoStore::open(std::move(*client), tables);
    if (!store) die(store.error().message());
    auto& s = **store;
    const auto put = [&s](int i) {
        if (!s.put_token({TokenKind::one_time, id_of(i), k_exp, std::nullopt})) die("put_token failed");
    };
    const auto consume = [&s](int i) {
        auto outcome = s.consume_token(TokenKind::one_time, id_of(i), k_now);
        if (!outcome || *outcome != otts::ConsumeOutcome::consumed) die("consume_token did not consume");
    };
    std::printf("dynamodb_put_ops_per_s %.0f\n", run(0, 2 * rows, 8, put));
    std::printf("dynamodb_consume_ops_per_s_1_thread %.0f\n", run(0, rows, 1, consume));
    std::printf("dynamodb_consume_ops_per_s_8_threads %.0f\n", run(rows, rows, 8, consume));
    return 0;
}
