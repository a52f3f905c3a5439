#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/json/json_array.hpp"
#include "core/json/json_reader.hpp"

using posagent::Code;
using posagent::JsonArrayElements;
using posagent::Result;

namespace {

// The elements, or the code of the first refusal (open() failing: kNotFound).
struct Split {
  std::vector<std::string> elements;
  Code refused = Code::kOk;
};

Split split(std::string_view text) {
  Split out;
  JsonArrayElements array(text);
  if (!array.open()) {
    out.refused = Code::kNotFound;
    return out;
  }
  while (!array.done()) {
    const Result<std::string_view> element = array.next();
    if (!element.ok()) {
      out.refused = element.status().code();
      return out;
    }
    out.elements.emplace_back(*element);
  }
  return out;
}

}  // namespace

TEST_CASE("A top-level array splits into its elements' texts, strings and nesting respected") {
  const Split s = split(R"( [ {"a":[1,2],"b":"x,]}"} , "q\"],", 7 ,[[]] ] )");
  CHECK(s.refused == Code::kOk);
  REQUIRE(s.elements.size() == 4);
  CHECK(s.elements[0] == R"({"a":[1,2],"b":"x,]}"})");
  CHECK(s.elements[1] == R"("q\"],")");
  CHECK(s.elements[2] == "7");
  CHECK(s.elements[3] == "[[]]");
  CHECK(split("[]").elements.empty());
  CHECK(split(" [ ] ").refused == Code::kOk);
}

TEST_CASE("What is not one JSON array is refused") {
  CHECK(split("{}").refused == Code::kNotFound);
  CHECK(split("").refused == Code::kNotFound);
  CHECK(split("[] x").refused == Code::kNotFound);         // trailing bytes after an empty array
  CHECK(split("[1] x").refused == Code::kParseError);      // after a full one
  CHECK(split("[1, 2").refused == Code::kParseError);      // cut
  CHECK(split(R"(["abc)").refused == Code::kParseError);   // cut inside a string
  CHECK(split("[1}").refused == Code::kParseError);        // a '}' closing nothing
  const std::string deep = "[" + std::string(posagent::kJsonNestingLimit + 1, '[') + "]";
  CHECK(split(deep).refused == Code::kParseError);
}
