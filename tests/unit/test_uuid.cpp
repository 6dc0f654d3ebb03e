#include <set>

#include <catch2/catch.hpp>

#include "oex/uuid.hpp"

TEST_CASE("oex::uuid1")
{
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = oex::uuid1();
    REQUIRE(id.size() == 36);
    CHECK(id[14] == '1');                                         // version 1
    CHECK(std::string("89ab").find(id[19]) != std::string::npos); // RFC 4122 variant
    CHECK(oex::canonical_uuid(id) == id);
    ids.insert(id);
  }
  CHECK(ids.size() == 1000);
}

TEST_CASE("oex::canonical_uuid")
{
  const std::string canonical = "12345678-1234-5678-1234-56781234abcd";
  CHECK(oex::canonical_uuid("12345678-1234-5678-1234-56781234ABCD") == canonical);
  CHECK(oex::canonical_uuid("1234567812345678123456781234abcd") == canonical);
  CHECK(oex::canonical_uuid("{12345678-1234-5678-1234-56781234abcd}") == canonical);
  CHECK(oex::canonical_uuid("urn:uuid:12345678-1234-5678-1234-56781234abcd") == canonical);
  CHECK(oex::canonical_uuid("1-2345678-1234-5678-1234-56781234abcd") == canonical);
  CHECK(!oex::canonical_uuid("12345678-1234-5678-1234-56781234abc"));
  CHECK(!oex::canonical_uuid("12345678-1234-5678-1234-56781234abcg"));
  CHECK(!oex::canonical_uuid(""));
  CHECK(!oex::canonical_uuid("URN:UUID:12345678-1234-5678-1234-56781234abcd"));
}
