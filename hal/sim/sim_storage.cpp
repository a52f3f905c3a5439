#include "hal/sim/sim_storage.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace posagent::hal::sim {
namespace {

// "<name>.rec" and "<name>.rec.tmp" for one record.
struct RecordNames {
  explicit RecordNames(RecordId id) {
    const char* base = nullptr;
    switch (id) {
      case RecordId::kJournal: base = "journal"; break;
      case RecordId::kConfig: base = "config"; break;
      case RecordId::kHold: base = "hold"; break;
    }
    char other[16];
    if (base == nullptr) {
      std::snprintf(other, sizeof other, "record-%u", static_cast<unsigned>(id));
      base = other;
    }
    std::snprintf(record, sizeof record, "%s.rec", base);
    std::snprintf(temp, sizeof temp, "%s.rec.tmp", base);
  }
  char record[32];
  char temp[40];
};

Status io_error(const char* message, int error) { return Status(Code::kIoError, message, error); }

// Writes all of data, retrying short writes and EINTR; false with errno set.
bool write_all(int fd, std::span<const std::uint8_t> data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

SimStorage::SimStorage(const char* directory) {
  if (mkdir(directory, 0700) != 0 && errno != EEXIST) {
    open_error_ = errno;
    return;
  }
  dir_fd_ = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd_ < 0) open_error_ = errno;
}

SimStorage::~SimStorage() {
  if (dir_fd_ >= 0) ::close(dir_fd_);
}

Status SimStorage::status() const {
  return dir_fd_ >= 0 ? Status::Ok() : io_error("storage unavailable", open_error_);
}

Result<std::size_t> SimStorage::read(RecordId id, std::span<std::uint8_t> buffer) {
  POSAGENT_TRY(status());
  const RecordNames names(id);
  // Only the record itself is opened; a leftover temp file plays no part.
  const int fd = openat(dir_fd_, names.record, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status(Code::kNotFound, "record not found");
    return io_error("record open failed", errno);
  }
  // A record file is never written in place (replace() renames a new file
  // over it), so its size cannot change while it is open.
  struct stat info {};
  if (fstat(fd, &info) != 0) {
    const int error = errno;
    ::close(fd);
    return io_error("record stat failed", error);
  }
  const auto size = static_cast<std::size_t>(info.st_size);
  if (size > buffer.size()) {
    ::close(fd);
    return Status(Code::kCapacityExceeded, "record too large",
                  size > INT32_MAX ? INT32_MAX : static_cast<std::int32_t>(size));
  }
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::read(fd, buffer.data() + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      return io_error("record read failed", error);
    }
    if (n == 0) break;  // cannot happen (see above); return what is there
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return done;
}

Status SimStorage::replace(RecordId id, std::span<const std::uint8_t> contents) {
  POSAGENT_TRY(status());
  const RecordNames names(id);
  // O_TRUNC: a leftover temp file from an interrupted replace is overwritten.
  const int fd = openat(dir_fd_, names.temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("record create failed", errno);

  const char* failure = nullptr;
  int error = 0;
  if (!write_all(fd, contents)) {
    failure = "record write failed";
  } else if (fsync(fd) != 0) {
    failure = "record sync failed";
  }
  if (failure != nullptr) error = errno;
  // close() can report a delayed write error (e.g. on NFS).
  if (::close(fd) != 0 && failure == nullptr) {
    failure = "record write failed";
    error = errno;
  }
  if (failure == nullptr && renameat(dir_fd_, names.temp, dir_fd_, names.record) != 0) {
    failure = "record rename failed";
    error = errno;
  }
  if (failure != nullptr) {
    unlinkat(dir_fd_, names.temp, 0);  // best effort; read() ignores it anyway
    return io_error(failure, error);
  }
  // Makes the rename itself durable.
  if (fsync(dir_fd_) != 0) return io_error("dir sync failed", errno);
  return Status::Ok();
}

Status SimStorage::erase(RecordId id) {
  POSAGENT_TRY(status());
  const RecordNames names(id);
  if (unlinkat(dir_fd_, names.record, 0) != 0 && errno != ENOENT) return io_error("record erase failed", errno);
  unlinkat(dir_fd_, names.temp, 0);  // tidy up a leftover, if any
  if (fsync(dir_fd_) != 0) return io_error("dir sync failed", errno);
  return Status::Ok();
}

}  // namespace posagent::hal::sim
