#pragma once
// The PinStore port on a DynamoDB table (DynamoTables::pins): key `email` (S); `pin_hash`,
// `license_key_hash`, `pin_id` (S); `created_at`, `expires_at` (the TTL attribute), `attempts`
// (N). Made and owned by DynamoStore; stateless, so any number of threads may call it.
//
// Follows the mapping in core/ports/pin_store.hpp, with one change: the DeleteItem that consumes a
// matching PIN is conditioned on `pin_id` and `pin_hash` (the same row, not superseded), not on
// `attempts = :n`. A wrong guess counted after a right one must not make the right one lose;
// the bound on comparisons comes from counting before comparing, which is unchanged.
#include <string>

#include "adapters/dynamodb/dynamodb_table.hpp"
#include "core/ports/pin_store.hpp"

namespace otts {

class DynamoPinStore final : public PinStore {
public:
    DynamoPinStore(aws::AwsClient& client, std::string table);

    Result<PinPut> put_pin(const PinRow& row, UnixSeconds cooldown) override;
    Result<PinVerdict> consume_pin(const std::string& email, const std::string& pin_hash,
                                   const std::string& license_key_hash, UnixSeconds now, int max_attempts) override;
    Result<std::optional<PinRow>> get_pin(const std::string& email, UnixSeconds now) override;
    Result<std::int64_t> sweep_pins(UnixSeconds now) override;

    const dynamodb::Table& table() const { return m_table; }

private:
    Result<dynamodb::Json> seen_or_read(const std::string& email, dynamodb::Json seen) const;
    Result<PinVerdict> compare_counted(const dynamodb::Json& row, const std::string& pin_hash,
                                       const std::string& license_key_hash, int max_attempts);
    Result<PinVerdict> classify_uncounted(const std::string& email, const dynamodb::Json& seen, UnixSeconds now,
                                          int max_attempts);

    dynamodb::Table m_table;
};

}  // namespace otts
