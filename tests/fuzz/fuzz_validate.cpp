// libFuzzer target: payload validation (both JSON readers), fromisoformat, uuid and key
// grammars over arbitrary bytes. The first byte picks the event type and the payload form.
//   cmake -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DOEX_BUILD_FUZZ=ON
//   build-fuzz/tests/fuzz/fuzz_validate tests/fuzz/corpus/validate

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "oex/catalog/catalog.hpp"
#include "oex/keys/datetime.hpp"
#include "oex/keys/opaque_keys.hpp"
#include "oex/keys/uuid.hpp"
#include "oex/payload/validate.hpp"

namespace {

const char* const k_event_types[] = {
  "org.openedx.learning.course.enrollment.created.v1",
  "org.openedx.learning.ora.submission.created.v1",
  "org.openedx.content_authoring.library_block.created.v1",
  "org.openedx.learning.course.notification.requested.v1",
};

struct Validators
{
  oex::Catalog catalog = oex::Catalog::builtin();
  std::vector<std::unique_ptr<oex::PayloadValidator>> all;

  Validators()
  {
    for (const char* type : k_event_types) {
      for (auto form : {oex::PayloadForm::data, oex::PayloadForm::envelope}) {
        all.push_back(
          std::make_unique<oex::PayloadValidator>(catalog.get_signal_by_type(type), form));
      }
    }
  }
};

void require(bool condition)
{
  if (!condition) {
    std::abort();
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  static Validators validators;
  if (size == 0) {
    return 0;
  }
  oex::PayloadValidator& validator = *validators.all[data[0] % validators.all.size()];
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);

  const oex::DocumentCheck check = validator.check(text);
  require(!check.malformed || check.findings.size() == 1);
  for (const oex::Finding& finding : check.findings) {
    require(finding.offset <= text.size());
    require(!finding.message.empty());
  }

  // Bytes after the document must not change the verdict: JSON Lines are checked in place.
  std::string followed = text;
  followed.append("\n{\"x\": [1, 2]}\n");
  const oex::DocumentCheck again = validator.check(std::string_view(followed.data(), text.size()));
  require(again.valid() == check.valid() && again.findings.size() == check.findings.size());

  if (auto time = oex::parse_isoformat(text)) {
    // isoformat() output is always accepted again, to the same value.
    auto round = oex::parse_isoformat(oex::isoformat(*time));
    require(round && oex::isoformat(*round) == oex::isoformat(*time));
  }
  if (auto id = oex::canonical_uuid(text)) {
    require(oex::canonical_uuid(*id) == id);
  }
  for (int kind = 0; kind <= static_cast<int>(oex::KeyKind::library_container_locator); ++kind) {
    (void)oex::is_valid_key(static_cast<oex::KeyKind>(kind), text);
  }
  return 0;
}
