#pragma once
// Result<T>: a value or an Error (GCC 12 has no std::expected in C++20). Expected failures are
// values; exceptions are for bugs and the edges of the program.
#include <cassert>
#include <utility>
#include <variant>

#include "core/error.hpp"

namespace otts {

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::move(value)) {}      // NOLINT(google-explicit-constructor)
    Result(Error error) : m_v(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & {
        assert(ok());
        return std::get<0>(m_v);
    }
    const T& value() const& {
        assert(ok());
        return std::get<0>(m_v);
    }
    T&& value() && {
        assert(ok());
        return std::get<0>(std::move(m_v));
    }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const {
        assert(!ok());
        return std::get<1>(m_v);
    }

private:
    std::variant<T, Error> m_v;
};

// Result<void>: success carries nothing.
struct Ok {};
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Ok) {}                                                       // NOLINT(google-explicit-constructor)
    Result(Error error) : m_error(std::move(error)), m_failed(true) {}  // NOLINT

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const Error& error() const {
        assert(m_failed);
        return m_error;
    }

private:
    Error m_error{ErrorCode::internal, {}};
    bool m_failed = false;
};

inline Error make_error(ErrorCode code, std::string detail = {}) { return Error{code, std::move(detail)}; }

}  // namespace otts

// Propagates the error of a Result-returning expression: OTTS_TRY(auto x, parse(s));
#define OTTS_CONCAT_INNER(a, b) a##b
#define OTTS_CONCAT(a, b) OTTS_CONCAT_INNER(a, b)
#define OTTS_TRY(decl, expr)                                                                \
    auto OTTS_CONCAT(otts_try_, __LINE__) = (expr);                                         \
    if (!OTTS_CONCAT(otts_try_, __LINE__)) return OTTS_CONCAT(otts_try_, __LINE__).error(); \
    decl = std::move(OTTS_CONCAT(otts_try_, __LINE__)).value()
#define OTTS_TRY_VOID(expr)                                 \
    do {                                                    \
        auto otts_try_void_ = (expr);                       \
        if (!otts_try_void_) return otts_try_void_.error(); \
    } while (0)
