// The kinds of notices the network ships, as JSON (notices/kinds.h, docs/notices.md).
#pragma once

#include <string_view>

namespace ncbnet::notices {

std::string_view BuiltinKindsJson();

}  // namespace ncbnet::notices
