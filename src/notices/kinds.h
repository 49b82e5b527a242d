// The kinds of notices (issue 6, item 1) as data: each kind's title, control-number prefix,
// whether it is about a person, its fields (in the records catalogue's field language,
// records/catalogue.h, so records::ValidateFields checks them), which of them the public sees,
// the assurances that must be given (true) before submission, and the instruction to whoever
// finds a match. The data is the JSON text of kinds_data.cc, parsed once; docs/notices.md
// lists the kinds and their fields.
//
// Thread safety: a Kinds is immutable once parsed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "records/catalogue.h"

namespace ncbnet::notices {

struct Kind {
  std::string name;            // "red"
  std::string title;           // "Red Notice"
  std::string prefix;          // control-number prefix, "A"
  bool person = false;         // has a person subject (identity particulars, matchable in checks)
  bool always_public = false;  // UN Special Notices: public extract whatever the consent
  std::string instruction;     // to whoever finds a match; "{control_number}" and
                               // "{requesting_country}" are filled in
  std::vector<std::string> public_fields;
  std::vector<std::string> assurances;   // boolean keys that must be true at submission
  records::DatabaseSchema schema;        // the fields (code: the kind upper-cased)
  records::DatabaseSchema draft_schema;  // the same with no field required at the top level
};

class Kinds {
 public:
  // Parses the kinds' JSON (kinds_data.cc). Error: kInvalidArgument "invalid_kinds" naming
  // the kind at fault, or the catalogue's error for its fields.
  static Result<Kinds> Parse(std::string_view json);

  // The kinds the network ships, parsed once.
  static const Kinds& Builtin();

  // Error: kInvalidArgument "unknown_notice_kind".
  Result<const Kind*> Find(std::string_view name) const;

  const std::vector<Kind>& kinds() const { return kinds_; }

 private:
  std::vector<Kind> kinds_;
};

// The kind's instruction with the control number and requesting country filled in.
std::string InstructionFor(const Kind& kind, std::string_view control_number,
                           std::string_view requesting_country);

}  // namespace ncbnet::notices
