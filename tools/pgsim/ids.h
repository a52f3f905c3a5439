// Random identifiers and small encoders (OpenSSL's RAND_bytes underneath).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace pgsim {

std::string random_alnum(size_t n);     // [A-Za-z0-9]
std::string random_digits(size_t n);    // first digit non-zero
std::string random_base64url(size_t n); // [A-Za-z0-9_-]
uint64_t random_u64();

std::string base64(std::string_view bytes);
std::string sha256_hex(std::string_view bytes);
std::string hmac_sha256_hex(std::string_view key, std::string_view bytes);
// 32 random bytes kept in `path` (0600), made on first use.
std::string load_or_make_secret(const std::filesystem::path& path);
// Percent-encodes everything except RFC 3986 unreserved characters.
std::string url_encode(std::string_view s);
std::string html_escape(std::string_view s);

}  // namespace pgsim
