#include <doctest/doctest.h>

#include "core/base/status.hpp"

using posagent::Code;
using posagent::Result;
using posagent::Status;

namespace {
Result<int> half(int n) {
  if (n % 2 != 0) return Status(Code::kInvalidArgument, "odd number");
  return n / 2;
}
Status chain(int n, int* out) {
  POSAGENT_TRY(half(n).status());
  *out = *half(n);
  return Status::Ok();
}
}  // namespace

TEST_CASE("Result holds a value or a status, never both") {
  Result<int> good = half(8);
  REQUIRE(good.ok());
  CHECK(*good == 4);
  CHECK(good.status().ok());

  Result<int> bad = half(7);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == Code::kInvalidArgument);
  CHECK(std::string_view(bad.status().message()) == "odd number");
  CHECK(bad.value_or(-1) == -1);
}

TEST_CASE("An OK status without a value is reported as an internal error") {
  Result<int> r = Status::Ok();
  CHECK_FALSE(r.ok());
  CHECK(r.status().code() == Code::kInternal);
}

TEST_CASE("POSAGENT_TRY returns the first failure") {
  int out = 0;
  CHECK(chain(10, &out).ok());
  CHECK(out == 5);
  CHECK(chain(3, &out).code() == Code::kInvalidArgument);
}

TEST_CASE("Every code has a name") {
  CHECK(posagent::code_name(Code::kTimeout) == "TIMEOUT");
  CHECK(posagent::code_name(Code::kCertificateInvalid) == "CERTIFICATE_INVALID");
}
