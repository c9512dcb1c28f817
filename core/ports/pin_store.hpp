#pragma once
// The PinStore port (DESIGN §6, §8): at most one PIN row per email. Every operation is one
// conditional write, so SQLite (one statement or one IMMEDIATE transaction) and DynamoDB
// (ConditionExpression) decide it atomically; no outcome depends on a read made earlier.
//
// DynamoDB mapping (adapters/dynamodb/dynamodb_pin_store.cpp):
//   put_pin     PutItem, ConditionExpression
//               "attribute_not_exists(email) OR created_at <= :cutoff OR expires_at <= :now",
//               ReturnValuesOnConditionCheckFailure ALL_OLD (gives blocking_created_at).
//   consume_pin UpdateItem "ADD attempts :one" with condition "attempts < :max AND
//               expires_at > :now", ReturnValues ALL_NEW; iff the returned row's pin_hash and
//               license_key_hash match, DeleteItem with condition "pin_id = :id AND
//               pin_hash = :h" (not "attempts = :n": a wrong guess counted after the right one
//               must not make the right one lose). Counting the try before comparing bounds the
//               number of comparisons per PIN at max_attempts however many callers race.
#include <cstdint>
#include <optional>
#include <string>

#include "core/ports/clock.hpp"
#include "core/result.hpp"

namespace otts {

struct PinRow {
    std::string email;             // key
    std::string pin_hash;          // HMAC-SHA256 of the PIN under the server key, lowercase hex
    std::string license_key_hash;  // "sha256:" + hex of the license text the PIN was sent for
    std::string pin_id;
    UnixSeconds created_at = 0;
    UnixSeconds expires_at = 0;
    int attempts = 0;  // tries counted so far (wrong ones; a right one deletes the row)
};

struct PinPut {
    bool stored = false;
    // When refused: created_at of the live row that is still within the cooldown.
    std::optional<UnixSeconds> blocking_created_at;
};

enum class PinOutcome {
    consumed,   // this caller won: the row is deleted
    wrong,      // hash or license did not match; the try was counted and tries remain
    exhausted,  // no tries left (this one was the last, or the PIN was dead already)
    not_found,  // no live PIN for the email (never requested, consumed, superseded or expired)
};

struct PinVerdict {
    PinOutcome outcome;
    int attempts_left = 0;
};

class PinStore {
public:
    static constexpr int k_max_attempts = 5;

    virtual ~PinStore() = default;

    // Writes `row` for row.email, replacing (superseding) any older row, unless a live row
    // (expires_at > row.created_at) was created less than `cooldown` seconds before
    // row.created_at. cooldown 0 always replaces.
    virtual Result<PinPut> put_pin(const PinRow& row, UnixSeconds cooldown) = 0;

    // Atomically deletes the email's row iff pin_hash and license_key_hash match, fewer than
    // `max_attempts` tries were counted and it is unexpired at `now`; otherwise counts the try
    // on a live row. Under concurrent callers with the right PIN exactly one gets `consumed`.
    virtual Result<PinVerdict> consume_pin(const std::string& email, const std::string& pin_hash,
                                           const std::string& license_key_hash, UnixSeconds now,
                                           int max_attempts = k_max_attempts) = 0;

    // The live row for `email`, if any (for tests and inspection; decides nothing).
    virtual Result<std::optional<PinRow>> get_pin(const std::string& email, UnixSeconds now) = 0;

    // Deletes rows whose expires_at <= now; returns how many.
    virtual Result<std::int64_t> sweep_pins(UnixSeconds now) = 0;
};

}  // namespace otts
