// The border check's answer (POST /v1/border-checks, docs/border-check.md) as text for an
// officer: `ncbnet check mrz` prints it. The first line is "MATCH  ..." or "no match", as every
// `ncbnet check` answers; then one line per part checked (MRZ, SLTD, NOMINAL, each notice) with
// the owners' actions. Text from the hub is made printable (output.h).
#pragma once

#include <ostream>

#include <nlohmann/json.hpp>

namespace ncbnet::apps {

void PrintBorderCheck(std::ostream& out, const nlohmann::json& answer);

}  // namespace ncbnet::apps
