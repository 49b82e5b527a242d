// OCR confusions (docs/mrz.md, "OCR confusions"): a character of the wrong kind for its field
// (a letter among the digits of a date or a check digit, a digit among the letters of a name or
// a country code) that OCR-B readers are known to confuse with one of the right kind.
#pragma once

#include <string>
#include <vector>

#include "mrz/mrz.h"

namespace ncbnet::mrz::internal {

// Every confusion in `lines` (of `format`, lengths already checked), in order of position.
// Fields that may hold letters and digits alike (document number, personal number, optional
// data) have none: there a confusion cannot be told from what was printed.
std::vector<Correction> FindConfusions(Format format, const std::vector<std::string>& lines);

// `lines` with every correction applied.
std::vector<std::string> ApplyCorrections(std::vector<std::string> lines,
                                          const std::vector<Correction>& corrections);

}  // namespace ncbnet::mrz::internal
