// Internal to fw_request.cpp and fw_card_request.cpp: input checks and the
// writer-status macros both builders use. Not part of the module's API.
#pragma once

#include <string_view>

#include "core/base/status.hpp"
#include "core/json/json_reader.hpp"

namespace posagent::flowwise::detail {

inline constexpr Status kInvalid(Code::kInvalidArgument, "Request invalid");

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

inline bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!is_digit(c)) return false;
  }
  return true;
}

// Letters, digits, '_' and '-': what the router accepts in ids, and safe in
// a path segment without percent-encoding.
bool is_id_text(std::string_view text, std::size_t min_length, std::size_t max_length);
// Visible ASCII (no space).
bool is_token_text(std::string_view text, std::size_t min_length, std::size_t max_length);
// "http://" or "https://" and visible ASCII, at most kReturnUrlMaxLength.
bool is_return_url(std::string_view url);

inline FieldStatus invalid(std::string_view field) { return FieldStatus(kInvalid, field); }

}  // namespace posagent::flowwise::detail

// A writer status as the builder's FieldStatus.
#define FW_TRY_WRITE(expr, field)                                                       \
  do {                                                                                  \
    const ::posagent::Status fw_write_s_ = (expr);                                      \
    if (!fw_write_s_.ok()) return ::posagent::FieldStatus(fw_write_s_, (field));        \
  } while (0)

// POSAGENT_TRY for FieldStatus: keeps the key.
#define FW_TRY_FIELD(expr)                              \
  do {                                                  \
    const ::posagent::FieldStatus fw_field_s_ = (expr); \
    if (!fw_field_s_.ok()) return fw_field_s_;          \
  } while (0)
