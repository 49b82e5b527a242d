// How subcommands report: errors to stderr as "ncbnet: <reason>: <message>", results to stdout
// as text or, with --json, one JSON object.
#pragma once

#include <iostream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace ncbnet::apps {

inline int Fail(const Status& status) {
  std::cerr << "ncbnet: " << status.reason() << ": " << status.message() << "\n";
  return 1;
}

inline void PrintJson(const nlohmann::json& j) { std::cout << j.dump(2) << std::endl; }

// Text from the hub, for a terminal: control characters (which could move the cursor or
// recolour the screen) are shown as '?'; newlines and tabs too unless `multiline`.
inline std::string Printable(std::string_view text, bool multiline = false) {
  std::string out(text);
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    const bool allowed = multiline && (c == '\n' || c == '\t');
    if ((u < 0x20 && !allowed) || u == 0x7f) c = '?';
  }
  return out;
}

// A field's value for a terminal: text as it is (control characters shown as '?'), lists
// joined with " | ", anything else as JSON.
inline std::string ValueText(const nlohmann::json& v) {
  if (v.is_string()) return Printable(v.get<std::string>());
  if (v.is_array()) {
    std::string out;
    for (const nlohmann::json& item : v) out += (out.empty() ? "" : " | ") + ValueText(item);
    return out;
  }
  return Printable(v.dump());
}

}  // namespace ncbnet::apps
