#include <catch2/catch.hpp>

#include "oex/catalog/key_field.hpp"
#include "support/catalog_fixture.hpp"

using oex::test::catalog;

TEST_CASE("resolve_key_field: descends data keys and fields as upstream's producers do")
{
  const oex::EventType& enrollment =
    catalog().get_signal_by_type("org.openedx.learning.course.enrollment.created.v1");
  auto key = oex::resolve_key_field(enrollment, "enrollment.course.course_key");
  REQUIRE(key);
  CHECK(key->spelling() == "CourseKey");
  CHECK(oex::is_key_scalar(*key));
  auto inherited = oex::resolve_key_field(enrollment, "enrollment.user.id"); // from a base class
  REQUIRE(inherited);
  CHECK(inherited->spelling() == "int");
  auto record = oex::resolve_key_field(enrollment, "enrollment");
  REQUIRE(record);
  CHECK(record->spelling() == "CourseEnrollmentData");
  CHECK_FALSE(oex::is_key_scalar(*record));

  CHECK(oex::resolve_key_field(enrollment, "user.id").error()
        == "key field 'user.id': no data key 'user' (the data keys are: enrollment)");
  CHECK(oex::resolve_key_field(enrollment, "enrollment.user.pii.name.first").error()
        == "key field 'enrollment.user.pii.name.first': 'enrollment.user.pii.name' has type str, "
           "not a data class");
  CHECK(oex::resolve_key_field(enrollment, "enrollment.nobody").error()
        == "key field 'enrollment.nobody': learning.CourseEnrollmentData has no field 'nobody'");
  CHECK(oex::resolve_key_field(enrollment, "enrollment.").error()
        == "key field 'enrollment.' has an empty part");
  CHECK(oex::resolve_key_field(enrollment, "").error() == "key field is empty");
}

TEST_CASE("key_field_problem: a key must resolve to a string or an integer")
{
  const oex::EventType& enrollment =
    catalog().get_signal_by_type("org.openedx.learning.course.enrollment.created.v1");
  CHECK_FALSE(oex::key_field_problem(enrollment, "enrollment.user.pii.username"));
  CHECK_FALSE(oex::key_field_problem(enrollment, "enrollment.creation_date")); // a datetime string
  CHECK(*oex::key_field_problem(enrollment, "enrollment.is_active")
        == "key field 'enrollment.is_active' has type bool, not a string or integer");
  CHECK(*oex::key_field_problem(enrollment, "enrollment.course")
        == "key field 'enrollment.course' has type CourseData, not a string or integer");
}
