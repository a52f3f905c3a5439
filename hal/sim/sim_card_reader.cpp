#include "hal/sim/sim_card_reader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>

#include "core/base/secure_wipe.hpp"
#include "core/card/card_check.hpp"

namespace posagent::hal::sim {

namespace {

// A card file is a handful of short lines.
constexpr std::size_t kMaxCardFileBytes = 1024;

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

// Reads the whole file into buffer; false with errno set, or with size past
// the buffer's end when the file is too big.
bool read_file(const char* path, char* buffer, std::size_t capacity, std::size_t& size) {
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  size = 0;
  for (;;) {
    if (size == capacity) {  // one byte more means too big
      char extra;
      const ssize_t n = ::read(fd, &extra, 1);
      if (n > 0) size = capacity + 1;
      secure_wipe(&extra, 1);
      break;
    }
    const ssize_t n = ::read(fd, buffer + size, capacity - size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      errno = error;
      return false;
    }
    if (n == 0) break;
    size += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return true;
}

enum Key : std::size_t { kNumber, kExpiry, kCvv, kName, kCryptogram, kTokenRequestorId, kLastFour, kKeyCount };
constexpr std::string_view kKeyNames[kKeyCount] = {"number", "expiry", "cvv", "name",
                                                   "cryptogram", "token_requestor_id", "last_four"};

struct CardFile {
  std::string_view values[kKeyCount];
  bool present[kKeyCount] = {};
};

Status parse_card_file(std::string_view text, CardFile& file) {
  std::int32_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const std::size_t end = text.find('\n');
    const std::string_view line = trim(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.empty() || line.front() == '#') continue;
    const std::size_t equals = line.find('=');
    if (equals == std::string_view::npos) return Status(Code::kParseError, "Bad card file line", line_number);
    const std::string_view key = trim(line.substr(0, equals));
    std::size_t index = 0;
    while (index < kKeyCount && kKeyNames[index] != key) ++index;
    if (index == kKeyCount) return Status(Code::kParseError, "Unknown card key", line_number);
    if (file.present[index]) return Status(Code::kParseError, "Repeated card key", line_number);
    file.present[index] = true;
    // The first '=' splits: base64 cryptograms end in '=' padding.
    file.values[index] = trim(line.substr(equals + 1));
  }
  return Status::Ok();
}

Status fits(StringSpan field, std::string_view value, const char* message) {
  // A default string_view's null data must not reach assign's memmove.
  if (value.empty()) {
    field.clear();
    return Status::Ok();
  }
  return field.assign(value) ? Status::Ok() : Status(Code::kInvalidArgument, message);
}

}  // namespace

Status SimCardReader::set_key_entered(std::string_view number, std::string_view expiry, std::string_view cvv,
                                      std::string_view holder_name) {
  held_.wipe();
  Status status = number.empty() ? Status(Code::kInvalidArgument, "Bad card number")
                                 : fits(held_.number.span(), number, "Bad card number");
  if (status.ok() && !card::parse_expiry(expiry, held_)) status = Status(Code::kInvalidArgument, "Bad expiry");
  if (status.ok()) status = fits(held_.cvv.span(), cvv, "Bad CVV");
  if (status.ok()) status = fits(held_.holder_name.span(), holder_name, "Bad holder name");
  if (!status.ok()) held_.wipe();
  return status;
}

Status SimCardReader::set_token(std::string_view number, std::string_view expiry, std::string_view cryptogram,
                                std::string_view token_requestor_id, std::string_view last_four) {
  held_.wipe();
  held_.kind = card::CardKind::kNetworkToken;
  Status status = number.empty() ? Status(Code::kInvalidArgument, "Bad token number")
                                 : fits(held_.number.span(), number, "Bad token number");
  if (status.ok() && !card::parse_expiry(expiry, held_)) status = Status(Code::kInvalidArgument, "Bad expiry");
  if (status.ok()) status = fits(held_.cryptogram.span(), cryptogram, "Bad cryptogram");
  if (status.ok()) status = fits(held_.token_requestor_id.span(), token_requestor_id, "Bad requestor id");
  if (status.ok()) status = fits(held_.last_four.span(), last_four, "Bad last four");
  if (!status.ok()) held_.wipe();
  return status;
}

Status SimCardReader::load(const char* path) {
  held_.wipe();
  char bytes[kMaxCardFileBytes];
  std::size_t size = 0;
  if (!read_file(path, bytes, sizeof bytes, size)) {
    const int error = errno;
    secure_wipe(bytes, sizeof bytes);
    if (error == ENOENT) return Status(Code::kNotFound, "No card file", error);
    return Status(Code::kIoError, "Card file unreadable", error);
  }
  Status status = Status::Ok();
  CardFile file;
  if (size > sizeof bytes) {
    status = Status(Code::kCapacityExceeded, "Card file too big");
  } else {
    status = parse_card_file(std::string_view(bytes, size), file);
  }
  if (status.ok()) {
    const bool token = file.present[kCryptogram];
    if (token && file.present[kCvv]) {
      status = Status(Code::kParseError, "CVV in a token file");
    } else if (!token && (file.present[kTokenRequestorId] || file.present[kLastFour])) {
      status = Status(Code::kParseError, "Token key, no crypto");
    } else if (token) {
      status = set_token(file.values[kNumber], file.values[kExpiry], file.values[kCryptogram],
                         file.values[kTokenRequestorId], file.values[kLastFour]);
      if (status.ok()) status = fits(held_.holder_name.span(), file.values[kName], "Bad holder name");
      if (!status.ok()) held_.wipe();
    } else {
      status = set_key_entered(file.values[kNumber], file.values[kExpiry], file.values[kCvv], file.values[kName]);
    }
  }
  // The parsed views point into bytes: wiped only after the card was set.
  secure_wipe(bytes, sizeof bytes);
  return status;
}

Status SimCardReader::read_card(card::CardData& out, Millis /*deadline: a held card is there at once*/) {
  out.wipe();
  if (held_.empty()) return Status(Code::kNotFound, "No card presented");
  out.kind = held_.kind;
  (void)out.number.assign(held_.number.view());
  (void)out.expiry_mm.assign(held_.expiry_mm.view());
  (void)out.expiry_yy.assign(held_.expiry_yy.view());
  (void)out.cvv.assign(held_.cvv.view());
  (void)out.holder_name.assign(held_.holder_name.view());
  (void)out.cryptogram.assign(held_.cryptogram.view());
  (void)out.token_requestor_id.assign(held_.token_requestor_id.view());
  (void)out.last_four.assign(held_.last_four.view());
  held_.wipe();
  return Status::Ok();
}

}  // namespace posagent::hal::sim
