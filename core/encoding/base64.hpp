#pragma once
// Base64 in the two alphabets otts meets: base64url without padding (JWS, RFC 7515 §2) and
// standard base64 with padding (license text, SES/DynamoDB bodies). Decoders are strict.
#include <optional>
#include <string>
#include <string_view>

namespace otts {

std::string base64url_encode(std::string_view bytes);
// Rejects padding, whitespace, characters outside [A-Za-z0-9_-], a length of 1 mod 4, and
// non-zero unused bits in the last character (so every byte string has one encoding).
std::optional<std::string> base64url_decode(std::string_view text);

std::string base64_encode(std::string_view bytes);
// Requires correct '=' padding; rejects whitespace and characters outside the alphabet.
std::optional<std::string> base64_decode(std::string_view text);

std::string hex_encode(std::string_view bytes);
std::optional<std::string> hex_decode(std::string_view text);  // either case; even length

}  // namespace otts
