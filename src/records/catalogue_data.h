// The JSON of the catalogue the network ships (records/catalogue.h parses it).
#pragma once

#include <string_view>

namespace ncbnet::records {

std::string_view BuiltinCatalogueJson();

}  // namespace ncbnet::records
