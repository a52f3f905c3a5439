// Storage backend: each record is a file in one directory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "hal/storage.hpp"

namespace posagent::hal::sim {

// Record files are named "journal.rec", "config.rec" (any other id:
// "record-<n>.rec"). replace() writes "<name>.tmp" next to the record, fsyncs
// it, renames it over the record and fsyncs the directory, so after a crash
// or power cut a record is either its old or its new contents. A leftover
// ".tmp" from an interrupted replace is never read, and the next replace()
// of that record overwrites it.
//
// The constructor creates the directory if it is missing (one level, 0700)
// and keeps it open. If that fails, status() says why and every call returns
// kIoError.
class SimStorage final : public Storage {
 public:
  explicit SimStorage(const char* directory);
  ~SimStorage();
  SimStorage(const SimStorage&) = delete;
  SimStorage& operator=(const SimStorage&) = delete;

  Status status() const;

  // kNotFound if missing; kCapacityExceeded (record size as detail) if the
  // buffer is too small, with the buffer's contents unspecified.
  Result<std::size_t> read(RecordId id, std::span<std::uint8_t> buffer) override;
  Status replace(RecordId id, std::span<const std::uint8_t> contents) override;
  // Erasing a missing record succeeds.
  Status erase(RecordId id) override;

 private:
  int dir_fd_ = -1;
  int open_error_ = 0;
};

}  // namespace posagent::hal::sim
