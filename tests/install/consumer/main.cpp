// A program built against an installed liboex (tests/install/check_install.sh): the catalog,
// and metadata, which needs libuuid, the library's private dependency.
#include <cstdio>

#include "oex/catalog/catalog.hpp"
#include "oex/metadata/metadata.hpp"

int main()
{
  const oex::Catalog catalog = oex::Catalog::builtin();
  const oex::EventType& event =
    catalog.get_signal_by_type("org.openedx.learning.course.enrollment.created.v1");
  const oex::EventsMetadata metadata =
    oex::generate_signal_metadata(event, catalog, oex::MetadataSettings{});
  std::printf("%zu event types, id of %zu characters, sourcelib %zu parts\n",
              catalog.all_events().size(), metadata.id.size(), metadata.sourcelib.size());
  return 0;
}
