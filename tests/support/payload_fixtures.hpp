#pragma once

#include <string>

namespace oex::test {

// The event most CLI tests use, and a valid and an invalid payload of it (4 findings).
inline const std::string k_enrollment_type = "org.openedx.learning.course.enrollment.created.v1";
inline const std::string k_valid_enrollment = TEST_DATA_DIR "/payloads/valid/enrollment_full.json";
inline const std::string k_invalid_enrollment =
  TEST_DATA_DIR "/payloads/invalid/enrollment_structure.json";

} // namespace oex::test
