#include "core/encoding/base64.hpp"

#include <array>
#include <cstdint>
#include <cstring>

namespace otts {
namespace {

constexpr std::string_view k_std_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view k_url_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::uint8_t k_invalid = 0xff;

using DecodeTable = std::array<std::uint8_t, 256>;

constexpr DecodeTable make_table(std::string_view alphabet) {
    DecodeTable table{};
    for (auto& v : table) v = k_invalid;
    for (std::size_t i = 0; i < alphabet.size(); ++i) table[static_cast<unsigned char>(alphabet[i])] = i;
    return table;
}

constexpr DecodeTable k_std_table = make_table(k_std_alphabet);
constexpr DecodeTable k_url_table = make_table(k_url_alphabet);

// Two output characters per 12 input bits, looked up at once: encoding runs on every token.
using PairTable = std::array<std::array<char, 2>, 4096>;

constexpr PairTable make_pairs(std::string_view alphabet) {
    PairTable pairs{};
    for (std::size_t i = 0; i < pairs.size(); ++i) pairs[i] = {alphabet[i >> 6], alphabet[i & 63]};
    return pairs;
}

constexpr PairTable k_std_pairs = make_pairs(k_std_alphabet);
constexpr PairTable k_url_pairs = make_pairs(k_url_alphabet);

// Writes through a pointer into a pre-sized string rather than appending char by char.
std::string encode(std::string_view bytes, const PairTable& pairs, bool pad) {
    const std::size_t full = bytes.size() / 3;
    const std::size_t rest = bytes.size() % 3;
    std::string out(full * 4 + (rest == 0 ? 0 : pad ? 4 : rest + 1), '=');
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    char* o = out.data();
    for (std::size_t i = 0; i < full; ++i, p += 3, o += 4) {
        const std::uint32_t v = (p[0] << 16) | (p[1] << 8) | p[2];
        std::memcpy(o, pairs[v >> 12].data(), 2);
        std::memcpy(o + 2, pairs[v & 0xfff].data(), 2);
    }
    if (rest == 0) return out;
    const std::uint32_t v = (p[0] << 16) | (rest == 2 ? p[1] << 8 : 0);
    std::memcpy(o, pairs[v >> 12].data(), 2);
    if (rest == 2) o[2] = pairs[v & 0xfff][0];
    return out;
}

// Decodes unpadded text. A final group of 2 or 3 characters carries 1 or 2 bytes; its unused
// low bits must be zero so that no two texts decode to the same bytes.
std::optional<std::string> decode_unpadded(std::string_view text, const DecodeTable& table) {
    const std::size_t tail = text.size() % 4;
    if (tail == 1) return std::nullopt;
    std::string out(text.size() / 4 * 3 + (tail == 0 ? 0 : tail - 1), '\0');
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    auto* o = reinterpret_cast<unsigned char*>(out.data());
    // Four characters at a time; k_invalid has the high bit set, so one test covers all four.
    for (std::size_t i = 0; i < text.size() / 4; ++i, p += 4, o += 3) {
        const std::uint32_t a = table[p[0]], b = table[p[1]], c = table[p[2]], d = table[p[3]];
        if (((a | b | c | d) & 0x80) != 0) return std::nullopt;
        const std::uint32_t v = (a << 18) | (b << 12) | (c << 6) | d;
        o[0] = static_cast<unsigned char>(v >> 16);
        o[1] = static_cast<unsigned char>(v >> 8);
        o[2] = static_cast<unsigned char>(v);
    }
    if (tail == 0) return out;
    const std::uint32_t a = table[p[0]], b = table[p[1]], c = tail == 3 ? table[p[2]] : 0;
    if (((a | b | c) & 0x80) != 0) return std::nullopt;
    const std::uint32_t v = (a << 18) | (b << 12) | (c << 6);
    // The unused low bits of the last character must be zero.
    if ((tail == 2 ? v & 0xffff : v & 0xff) != 0) return std::nullopt;
    o[0] = static_cast<unsigned char>(v >> 16);
    if (tail == 3) o[1] = static_cast<unsigned char>(v >> 8);
    return out;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string base64url_encode(std::string_view bytes) { return encode(bytes, k_url_pairs, false); }

std::optional<std::string> base64url_decode(std::string_view text) { return decode_unpadded(text, k_url_table); }

std::string base64_encode(std::string_view bytes) { return encode(bytes, k_std_pairs, true); }

std::optional<std::string> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::size_t pad = 0;
    while (pad < 2 && pad < text.size() && text[text.size() - 1 - pad] == '=') ++pad;
    // "xx==" and "xxx=" are the only padded forms; a third '=' is caught as a bad character.
    return decode_unpadded(text.substr(0, text.size() - pad), k_std_table);
}

std::string hex_encode(std::string_view bytes) {
    static constexpr char k_digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const unsigned char b : bytes) {
        out += k_digits[b >> 4];
        out += k_digits[b & 15];
    }
    return out;
}

std::optional<std::string> hex_decode(std::string_view text) {
    if (text.size() % 2 != 0) return std::nullopt;
    std::string out;
    out.reserve(text.size() / 2);
    for (std::size_t i = 0; i < text.size(); i += 2) {
        const int hi = hex_value(text[i]);
        const int lo = hex_value(text[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out += static_cast<char>(hi << 4 | lo);
    }
    return out;
}

}  // namespace otts
