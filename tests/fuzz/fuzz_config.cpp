// libFuzzer target: the event bus producer configuration (oex check-config). The input is a
// configuration file; every finding must be placed in it, and every route it keeps must name
// an event of the catalog.
//   build-fuzz/tests/fuzz/fuzz_config tests/data/check_config

#include <cstdint>
#include <cstdlib>
#include <string>

#include "oex/bus/producer_config.hpp"
#include "oex/catalog/catalog.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  static const oex::Catalog k_catalog = oex::Catalog::builtin();
  const std::string text(reinterpret_cast<const char*>(data), size);
  const oex::ProducerConfigCheck check = oex::check_producer_config("fuzz.json", text, k_catalog);
  for (const oex::Finding& finding : check.findings) {
    if (finding.line == 0 || finding.column == 0 || finding.rule.empty()) {
      std::abort();
    }
  }
  for (const auto& [type, routes] : check.config.routes) {
    if (!k_catalog.find(type)) {
      std::abort();
    }
  }
  return 0;
}
