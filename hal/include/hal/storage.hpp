// Storage facade: a few small persistent records, each replaced atomically:
// after a power cut a record reads as either its old or its new contents.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/base/status.hpp"

namespace posagent::hal {

enum class RecordId : std::uint8_t {
  kJournal = 0,
  kConfig = 1,
  kHold = 2,  // the last capture or void of a pre-authorised payment
};

class Storage {
 public:
  // Copies the record into buffer; kNotFound if it was never written,
  // kCapacityExceeded if buffer is too small.
  virtual Result<std::size_t> read(RecordId id, std::span<std::uint8_t> buffer) = 0;
  virtual Status replace(RecordId id, std::span<const std::uint8_t> contents) = 0;
  virtual Status erase(RecordId id) = 0;

 protected:
  ~Storage() = default;
};

}  // namespace posagent::hal
