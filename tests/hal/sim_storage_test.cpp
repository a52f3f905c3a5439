// SimStorage on a fresh temporary directory.
#include <doctest/doctest.h>

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "core/base/fixed_string.hpp"
#include "hal/sim/sim_storage.hpp"

using posagent::as_bytes;
using posagent::Code;
using posagent::hal::RecordId;
using posagent::hal::sim::SimStorage;

namespace {

// mkdtemp under $TMPDIR or /tmp; removed (with its files) on destruction.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    path_ = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/posagent-sim-XXXXXX";
    if (mkdtemp(path_.data()) == nullptr) path_.clear();
  }
  ~TempDir() {
    if (path_.empty()) return;
    if (DIR* dir = opendir(path_.c_str())) {
      while (dirent* entry = readdir(dir)) {
        if (std::strcmp(entry->d_name, ".") != 0 && std::strcmp(entry->d_name, "..") != 0) {
          unlink(file(entry->d_name).c_str());
        }
      }
      closedir(dir);
    }
    rmdir(path_.c_str());
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  bool ok() const { return !path_.empty(); }
  const char* path() const { return path_.c_str(); }
  std::string file(std::string_view name) const { return path_ + "/" + std::string(name); }

  // The names of the files in the directory, sorted, space-separated.
  std::string listing() const {
    std::string names[16];
    int count = 0;
    if (DIR* dir = opendir(path_.c_str())) {
      while (dirent* entry = readdir(dir)) {
        if (entry->d_name[0] != '.' && count < 16) names[count++] = entry->d_name;
      }
      closedir(dir);
    }
    for (int i = 1; i < count; ++i) {
      for (int j = i; j > 0 && names[j] < names[j - 1]; --j) std::swap(names[j], names[j - 1]);
    }
    std::string out;
    for (int i = 0; i < count; ++i) out += (i > 0 ? " " : "") + names[i];
    return out;
  }

 private:
  std::string path_;
};

bool write_file(const std::string& path, std::string_view contents) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return false;
  const bool ok = std::fwrite(contents.data(), 1, contents.size(), f) == contents.size();
  return std::fclose(f) == 0 && ok;
}

// The record as text, or "<CODE>" when reading fails.
std::string read_text(SimStorage& storage, RecordId id, std::size_t capacity = 64) {
  std::uint8_t buffer[256];
  const auto r = storage.read(id, std::span<std::uint8_t>(buffer, capacity < sizeof buffer ? capacity : sizeof buffer));
  if (!r.ok()) return "<" + std::string(posagent::code_name(r.status().code())) + ">";
  return std::string(reinterpret_cast<const char*>(buffer), *r);
}

}  // namespace

TEST_CASE("SimStorage writes, reads, replaces and erases records") {
  TempDir dir;
  REQUIRE(dir.ok());
  SimStorage storage(dir.path());
  REQUIRE(storage.status().ok());

  CHECK(read_text(storage, RecordId::kJournal) == "<NOT_FOUND>");

  REQUIRE(storage.replace(RecordId::kJournal, as_bytes("first")).ok());
  REQUIRE(storage.replace(RecordId::kConfig, as_bytes("{\"k\":1}")).ok());
  CHECK(read_text(storage, RecordId::kJournal) == "first");
  CHECK(read_text(storage, RecordId::kConfig) == "{\"k\":1}");

  REQUIRE(storage.replace(RecordId::kJournal, as_bytes("second, longer")).ok());
  CHECK(read_text(storage, RecordId::kJournal) == "second, longer");
  REQUIRE(storage.replace(RecordId::kJournal, as_bytes("3")).ok());
  CHECK(read_text(storage, RecordId::kJournal) == "3");
  // No temp file is left behind by a completed replace.
  CHECK(dir.listing() == "config.rec journal.rec");

  // Binary contents, including an empty record (which is not a missing one).
  const std::uint8_t binary[] = {0, 1, 0xff, '\n', 0};
  REQUIRE(storage.replace(RecordId::kConfig, binary).ok());
  std::uint8_t back[8] = {};
  const auto got = storage.read(RecordId::kConfig, back);
  REQUIRE(got.ok());
  REQUIRE(*got == sizeof binary);
  CHECK(std::memcmp(back, binary, sizeof binary) == 0);
  REQUIRE(storage.replace(RecordId::kConfig, std::span<const std::uint8_t>()).ok());
  CHECK(read_text(storage, RecordId::kConfig) == "");

  REQUIRE(storage.erase(RecordId::kJournal).ok());
  CHECK(read_text(storage, RecordId::kJournal) == "<NOT_FOUND>");
  CHECK(read_text(storage, RecordId::kConfig) == "");
  CHECK(storage.erase(RecordId::kJournal).ok());  // already gone: still fine
  CHECK(dir.listing() == "config.rec");
}

TEST_CASE("SimStorage refuses a buffer that is too small") {
  TempDir dir;
  REQUIRE(dir.ok());
  SimStorage storage(dir.path());
  REQUIRE(storage.replace(RecordId::kJournal, as_bytes("0123456789")).ok());

  std::uint8_t small[9];
  const auto r = storage.read(RecordId::kJournal, small);
  CHECK(r.status().code() == Code::kCapacityExceeded);
  CHECK(r.status().detail() == 10);
  CHECK(read_text(storage, RecordId::kJournal, 10) == "0123456789");  // exactly fits
}

TEST_CASE("SimStorage never reads a leftover temp file as the record") {
  TempDir dir;
  REQUIRE(dir.ok());
  SimStorage storage(dir.path());

  // An interrupted first replace: only the temp file exists.
  REQUIRE(write_file(dir.file("journal.rec.tmp"), "half-writ"));
  CHECK(read_text(storage, RecordId::kJournal) == "<NOT_FOUND>");

  // The next replace overwrites the leftover and then renames it away.
  REQUIRE(storage.replace(RecordId::kJournal, as_bytes("old")).ok());
  CHECK(read_text(storage, RecordId::kJournal) == "old");
  CHECK(dir.listing() == "journal.rec");

  // An interrupted later replace: the old record stays as it was.
  REQUIRE(write_file(dir.file("journal.rec.tmp"), "new but torn"));
  CHECK(read_text(storage, RecordId::kJournal) == "old");
  SimStorage reopened(dir.path());
  CHECK(read_text(reopened, RecordId::kJournal) == "old");

  // A longer leftover is truncated, not partly overwritten.
  REQUIRE(reopened.replace(RecordId::kJournal, as_bytes("new")).ok());
  CHECK(read_text(reopened, RecordId::kJournal) == "new");
  CHECK(dir.listing() == "journal.rec");

  // erase() tidies a leftover up too.
  REQUIRE(write_file(dir.file("journal.rec.tmp"), "torn again"));
  REQUIRE(reopened.erase(RecordId::kJournal).ok());
  CHECK(dir.listing() == "");
}

TEST_CASE("SimStorage records survive re-opening the directory") {
  TempDir dir;
  REQUIRE(dir.ok());
  {
    SimStorage storage(dir.path());
    REQUIRE(storage.replace(RecordId::kConfig, as_bytes("kept")).ok());
    REQUIRE(storage.replace(RecordId::kJournal, as_bytes("journal")).ok());
  }
  SimStorage storage(dir.path());
  REQUIRE(storage.status().ok());
  CHECK(read_text(storage, RecordId::kConfig) == "kept");
  CHECK(read_text(storage, RecordId::kJournal) == "journal");
}

TEST_CASE("SimStorage creates a missing directory and reports an unusable one") {
  TempDir dir;
  REQUIRE(dir.ok());
  const std::string sub = dir.file("records");
  {
    SimStorage storage(sub.c_str());
    REQUIRE(storage.status().ok());
    REQUIRE(storage.replace(RecordId::kConfig, as_bytes("x")).ok());
    CHECK(read_text(storage, RecordId::kConfig) == "x");
    REQUIRE(storage.erase(RecordId::kConfig).ok());
  }
  REQUIRE(rmdir(sub.c_str()) == 0);

  // A path through a regular file cannot be a directory.
  REQUIRE(write_file(dir.file("plain"), "not a directory"));
  const std::string bad = dir.file("plain/records");
  SimStorage storage(bad.c_str());
  CHECK(storage.status().code() == Code::kIoError);
  CHECK(storage.status().detail() == ENOTDIR);
  CHECK(read_text(storage, RecordId::kConfig) == "<IO_ERROR>");
  CHECK(storage.replace(RecordId::kConfig, as_bytes("x")).code() == Code::kIoError);
  CHECK(storage.erase(RecordId::kConfig).code() == Code::kIoError);
}
