#include <catch2/catch.hpp>

#include "kafka/framing.hpp"

using namespace oex::bus::kafka;

TEST_CASE("kafka::append_framed")
{
  std::string out = "x";
  append_framed(out, 0x01020304U, std::string("\x02z", 2));
  CHECK(out == std::string("x\x00\x01\x02\x03\x04\x02z", 8));
  out.clear();
  append_framed(out, 0xffffffffU, "");
  CHECK(out == std::string("\x00\xff\xff\xff\xff", 5));
}

TEST_CASE("kafka::unframe")
{
  const std::string framed("\x00\x00\x00\x01\x2c\x06" "abc", 9); // unframe's view points into it
  const Unframed ok = unframe(framed);
  REQUIRE(ok.ok);
  CHECK(ok.schema_id == 300);
  CHECK(ok.avro == "\x06" "abc");

  const std::string header_only("\x00\x00\x00\x00\x07", 5);
  const Unframed empty = unframe(header_only);
  REQUIRE(empty.ok);
  CHECK(empty.schema_id == 7);
  CHECK(empty.avro.empty());

  CHECK(unframe("").error == "0 bytes, too short for the schema registry framing (0x00 and a 4-byte schema id)");
  CHECK(unframe("a").error == "1 byte, too short for the schema registry framing (0x00 and a 4-byte schema id)");
  CHECK(unframe("{\"a\":1}").error == "first byte 0x7b is not the schema registry framing's 0x00");
  CHECK(unframe(std::string("\xff\x00\x00\x00\x01", 5)).error
        == "first byte 0xff is not the schema registry framing's 0x00");
}
