// SimCardReader: a card set or loaded, handed out once, its own copy wiped.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <string_view>

#include "core/base/secure_wipe.hpp"
#include "core/card/card_check.hpp"
#include "hal/sim/sim_card_reader.hpp"
#include "tests/base/labeled.hpp"

using posagent::Code;
using posagent::card::CardData;
using posagent::card::CardKind;
using posagent::hal::sim::SimCardReader;
using posagent::test::Labeled;

namespace {

constexpr posagent::hal::Millis kDeadline = 1000;

// A file under $TMPDIR or /tmp with the given contents, removed on destruction.
class TempFile {
 public:
  explicit TempFile(std::string_view contents) {
    const char* base = std::getenv("TMPDIR");
    path_ = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/posagent-card-XXXXXX";
    const int fd = mkstemp(path_.data());
    if (fd < 0) {
      path_.clear();
      return;
    }
    ok_ = ::write(fd, contents.data(), contents.size()) == static_cast<ssize_t>(contents.size());
    ::close(fd);
  }
  ~TempFile() {
    if (!path_.empty()) unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  bool ok() const { return ok_; }
  const char* path() const { return path_.c_str(); }

 private:
  std::string path_;
  bool ok_ = false;
};

bool contains(const void* object, std::size_t size, std::string_view text) {
  const std::string_view bytes(static_cast<const char*>(object), size);
  return bytes.find(text) != std::string_view::npos;
}

// The reader's bytes other than its vtable pointer: a CardData and nothing
// else, so once wiped at most sizeof(void*) bytes are non-zero.
std::size_t non_zero_bytes(const void* object, std::size_t size) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < size; ++i) count += static_cast<const std::uint8_t*>(object)[i] != 0;
  return count;
}

}  // namespace

TEST_CASE("SimCardReader hands a key-entered card out once") {
  SimCardReader reader;
  CardData card;
  CHECK(reader.read_card(card, kDeadline).code() == Code::kNotFound);

  REQUIRE(reader.set_key_entered("4111111111111111", "12/28", "123", "Asha Rao").ok());
  CHECK(reader.has_card());
  CHECK(reader.read_card(card, kDeadline).ok());
  CHECK(card.kind == CardKind::kKeyEntered);
  CHECK(card.number.view() == "4111111111111111");
  CHECK(card.expiry_mm.view() == "12");
  CHECK(card.expiry_yy.view() == "28");
  CHECK(card.cvv.view() == "123");
  CHECK(card.holder_name.view() == "Asha Rao");
  CHECK(card.cryptogram.empty());
  CHECK(posagent::card::check_card(card, {2026, 6}).ok());

  CHECK_FALSE(reader.has_card());
  const posagent::Status second = reader.read_card(card, kDeadline);
  CHECK(second.code() == Code::kNotFound);
  CHECK(std::string_view(second.message()) == "No card presented");
  CHECK(card.empty());  // the caller's card is not left half-filled
}

TEST_CASE("SimCardReader hands out a network token") {
  SimCardReader reader;
  REQUIRE(reader.set_token("4895370012003478", "0929", "AgAAAAAABk4DWZ4C28yUQAAAAAA=", "40010030273", "1111").ok());
  CardData card;
  CHECK(reader.read_card(card, kDeadline).ok());
  CHECK(card.kind == CardKind::kNetworkToken);
  CHECK(card.number.view() == "4895370012003478");
  CHECK(card.expiry_mm.view() == "09");
  CHECK(card.cryptogram.view() == "AgAAAAAABk4DWZ4C28yUQAAAAAA=");
  CHECK(card.token_requestor_id.view() == "40010030273");
  CHECK(card.last_four.view() == "1111");
  CHECK(card.cvv.empty());
  CHECK(posagent::card::card_label(card).view() == "VISA XXXX1111");
}

TEST_CASE("SimCardReader refuses what does not fit a card and then holds none") {
  SimCardReader reader;
  CHECK(reader.set_key_entered("", "12/28", "123").code() == Code::kInvalidArgument);
  CHECK(reader.set_key_entered("41111111111111111111", "12/28", "123").code() == Code::kInvalidArgument);
  CHECK(reader.set_key_entered("4111111111111111", "13/28", "123").code() == Code::kInvalidArgument);
  CHECK(reader.set_key_entered("4111111111111111", "12/28", "12345").code() == Code::kInvalidArgument);
  CHECK(reader.set_key_entered("4111111111111111", "12/28", "123", "ABCDEFGHIJKLMNOPQRSTUVWXYZA").code() ==
        Code::kInvalidArgument);
  CHECK(reader.set_token("4895370012003478", "0929", "AAAA", "400100302731", "1111").code() ==
        Code::kInvalidArgument);
  CHECK(reader.set_token("4895370012003478", "0929", "AAAA", "40010030273", "11111").code() ==
        Code::kInvalidArgument);
  REQUIRE(reader.set_key_entered("4111111111111111", "12/28", "123").ok());
  CHECK(reader.set_key_entered("4111111111111111", "1/28", "123").code() == Code::kInvalidArgument);
  CHECK_FALSE(reader.has_card());  // the earlier card went with the refusal
  // A bad card that fits is presented: check_card is the one to refuse it.
  CHECK(reader.set_key_entered("4111111111111112", "12/20", "1").ok());
}

TEST_CASE("SimCardReader wipes its own copy once the card is handed out, and on destruction") {
  alignas(SimCardReader) std::uint8_t storage[sizeof(SimCardReader)] = {};
  SimCardReader* reader = new (storage) SimCardReader;
  REQUIRE(reader->set_key_entered("5555555555554444", "12/28", "987", "Asha Rao").ok());
  CHECK(contains(storage, sizeof storage, "5555555555554444"));
  CardData card;
  REQUIRE(reader->read_card(card, kDeadline).ok());
  CHECK_FALSE(contains(storage, sizeof storage, "5555555555554444"));
  CHECK_FALSE(contains(storage, sizeof storage, "987"));
  CHECK_FALSE(contains(storage, sizeof storage, "Asha"));
  CHECK(non_zero_bytes(storage, sizeof storage) <= sizeof(void*));

  REQUIRE(reader->set_token("4895370012003478", "0929", "AgAAAAAABk4DWZ4C28yUQAAAAAA=", "40010030273", "1111").ok());
  CHECK(contains(storage, sizeof storage, "AgAAAAAABk4D"));
  reader->~SimCardReader();
  CHECK_FALSE(contains(storage, sizeof storage, "4895370012003478"));
  CHECK_FALSE(contains(storage, sizeof storage, "AgAAAAAABk4D"));
  CHECK(non_zero_bytes(storage, sizeof storage) <= sizeof(void*));
}

TEST_CASE("SimCardReader loads a key-entered card from a file") {
  TempFile file(
      "# a test card\n"
      "\n"
      "number = 4111111111111111\n"
      "expiry=12/28\r\n"
      "  cvv=123\n"
      "name=Asha Rao\n");
  REQUIRE(file.ok());
  SimCardReader reader;
  REQUIRE(reader.load(file.path()).ok());
  CardData card;
  REQUIRE(reader.read_card(card, kDeadline).ok());
  CHECK(card.kind == CardKind::kKeyEntered);
  CHECK(card.number.view() == "4111111111111111");
  CHECK(card.expiry_mm.view() == "12");
  CHECK(card.expiry_yy.view() == "28");
  CHECK(card.cvv.view() == "123");
  CHECK(card.holder_name.view() == "Asha Rao");
  CHECK(reader.read_card(card, kDeadline).code() == Code::kNotFound);
}

TEST_CASE("SimCardReader loads a network token from a file (a cryptogram makes it one)") {
  TempFile file(
      "number=4895370012003478\n"
      "expiry=0929\n"
      "cryptogram=AgAAAAAABk4DWZ4C28yUQAAAAAA=\n"  // '=' padding stays in the value
      "token_requestor_id=40010030273\n"
      "last_four=1111");  // no final newline
  REQUIRE(file.ok());
  SimCardReader reader;
  REQUIRE(reader.load(file.path()).ok());
  CardData card;
  REQUIRE(reader.read_card(card, kDeadline).ok());
  CHECK(card.kind == CardKind::kNetworkToken);
  CHECK(card.cryptogram.view() == "AgAAAAAABk4DWZ4C28yUQAAAAAA=");
  CHECK(card.token_requestor_id.view() == "40010030273");
  CHECK(card.last_four.view() == "1111");
  CHECK(card.expiry_mm.view() == "09");
  CHECK(card.expiry_yy.view() == "29");
  CHECK(posagent::card::check_card(card, {2026, 6}).ok());
}

TEST_CASE("SimCardReader refuses malformed card files and then holds no card") {
  struct Case {
    std::string_view contents;
    Code code;
    std::int32_t line;
  };
  const Case cases[] = {
      {"number=4111111111111111\nexpiry 12/28\ncvv=123\n", Code::kParseError, 2},         // no '='
      {"number=4111111111111111\nexpiry=12/28\npin=1234\n", Code::kParseError, 3},        // unknown key
      {"number=4111111111111111\nnumber=5555555555554444\n", Code::kParseError, 2},       // repeated
      {"number=4111111111111111\nexpiry=12/28\ncvv=123\nlast_four=1111\n", Code::kParseError, 0},
      {"number=4895370012003478\nexpiry=0929\ncryptogram=AAAA\ncvv=123\n", Code::kParseError, 0},
      {"expiry=12/28\ncvv=123\n", Code::kInvalidArgument, 0},                             // no number
      {"number=4111111111111111\nexpiry=12-28\ncvv=123\n", Code::kInvalidArgument, 0},
      {"number=4111111111111111\nexpiry=12/28\ncvv=12345\n", Code::kInvalidArgument, 0},
      {"number=4895370012003478\nexpiry=0929\ncryptogram=AAAA\ntoken_requestor_id=400100302731\n",
       Code::kInvalidArgument, 0},
  };
  for (const Case& c : cases) {
    TempFile file(c.contents);
    REQUIRE(file.ok());
    SimCardReader reader;
    REQUIRE(reader.set_key_entered("5555555555554444", "12/28", "123").ok());
    const posagent::Status status = reader.load(file.path());
    CHECK(Labeled<Code>{c.contents, status.code()} == c.code);
    if (c.line > 0) CHECK(Labeled<std::int64_t>{c.contents, status.detail()} == std::int64_t{c.line});
    CHECK(std::strlen(status.message()) <= 20);
    CHECK_FALSE(reader.has_card());
  }

  SimCardReader reader;
  CHECK(reader.load("/nonexistent/posagent-card").code() == Code::kNotFound);
  std::string big(2000, '#');
  TempFile too_big(big);
  CHECK(reader.load(too_big.path()).code() == Code::kCapacityExceeded);
}
