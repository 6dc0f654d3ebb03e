#pragma once

// What a Record holds: one RapidJSON value tree in a pool that is cleared, not freed, between
// uses. Object members of a record are its fields in schema order (field i is member i).

#include <rapidjson/document.h>

#include "oex/avro/record.hpp"

namespace oex::avro {

using RecordValue = rapidjson::GenericValue<rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>>;

struct Record::Impl
{
  rapidjson::MemoryPoolAllocator<> allocator{4096}; // small: a producer may hold many records
  RecordValue root;
  const Node* schema = nullptr; // the root type root was made for; nullptr when empty

  void clear()
  {
    schema = nullptr;
    root.SetNull();
    allocator.Clear();
  }
};

} // namespace oex::avro
