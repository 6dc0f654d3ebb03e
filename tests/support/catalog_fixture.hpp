#pragma once

#include "oex/catalog/catalog.hpp"

namespace oex::test {

// The built-in catalog, loaded once per test binary.
inline const Catalog& catalog()
{
  static const Catalog k_catalog = Catalog::builtin();
  return k_catalog;
}

} // namespace oex::test
