#include "index/identifiers.h"

#include <cstddef>
#include <string>
#include <string_view>

#include "core/countries.h"

namespace ncbnet::index {
namespace {

// Longer input is rejected before any work: no identifier of ours comes near it.
constexpr std::size_t kMaxRawLength = 128;

bool IsUpperAlnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

char ToUpper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

// Upper-cases `raw` and drops every character of `separators`. Returns false if another
// character than an ASCII letter or digit remains.
bool CompactAlnum(std::string_view raw, std::string_view separators, std::string& out) {
  out.clear();
  if (raw.size() > kMaxRawLength) return false;
  for (const char c : raw) {
    if (separators.find(c) != std::string_view::npos) continue;
    const char u = ToUpper(c);
    if (!IsUpperAlnum(u)) return false;
    out.push_back(u);
  }
  return true;
}

// The value of a VIN character in the check-digit sum (49 CFR 565.15, table IV): digits are
// themselves, letters A..Z map to 1..9 in three runs (A-H, J-R, S-Z); I, O, Q are not used.
int VinValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  static constexpr std::string_view kLetters = "ABCDEFGHJKLMNPRSTUVWXYZ";
  static constexpr int kValues[] = {1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4,
                                    5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9};
  const std::size_t i = kLetters.find(c);
  return i == std::string_view::npos ? -1 : kValues[i];
}

Status InvalidVin(std::string message) {
  return Status::InvalidArgument("invalid_vin", std::move(message));
}

}  // namespace

Result<std::string> NormaliseDocumentNumber(std::string_view raw) {
  std::string out;
  if (!CompactAlnum(raw, " -<./", out)) {
    return Status::InvalidArgument("invalid_document_number",
                                   "a document number holds only letters and digits");
  }
  if (out.empty() || out.size() > 20) {
    return Status::InvalidArgument("invalid_document_number",
                                   "a document number has 1 to 20 letters and digits");
  }
  return out;
}

char VinCheckDigit(std::string_view vin) {
  static constexpr int kWeights[17] = {8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2};
  if (vin.size() != 17) return '\0';
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) {
    const int value = VinValue(vin[i]);
    if (value < 0) return '\0';
    sum += value * kWeights[i];
  }
  const int check = sum % 11;
  return check == 10 ? 'X' : static_cast<char>('0' + check);
}

Result<std::string> NormaliseVin(std::string_view raw, bool north_american) {
  std::string vin;
  if (!CompactAlnum(raw, " -", vin)) return InvalidVin("a VIN holds only letters and digits");
  if (vin.size() > 17) return InvalidVin("a VIN has at most 17 characters");
  if (vin.size() < 5) return InvalidVin("a VIN has 17 characters (pre-1981 serials at least 5)");
  if (vin.size() < 17) return vin;  // a pre-1981 serial: no standard format to check
  if (vin.find_first_of("IOQ") != std::string::npos) {
    return InvalidVin("a 17-character VIN never contains I, O or Q");
  }
  if (north_american && VinCheckDigit(vin) != vin[8]) {
    return InvalidVin("the check digit (position 9) does not match the VIN");
  }
  return vin;
}

Result<std::string> NormalisePlate(std::string_view country, std::string_view plate) {
  std::string code;
  if (!CompactAlnum(country, "", code) || !IsAlpha3(code)) {
    return Status::InvalidArgument("invalid_country",
                                   "the country is an ISO 3166-1 alpha-3 code such as FRA");
  }
  std::string number;
  if (!CompactAlnum(plate, " -", number) || number.empty() || number.size() > 12) {
    return Status::InvalidArgument("invalid_plate", "a plate has 1 to 12 letters and digits");
  }
  return code + ":" + number;
}

Result<std::string> NormaliseFirearm(std::string_view make, std::string_view serial) {
  std::string out;
  if (make.size() > kMaxRawLength) {
    return Status::InvalidArgument("invalid_firearm", "the make is too long");
  }
  for (const char c : make) {
    const char u = ToUpper(c);
    if (IsUpperAlnum(u)) {
      out.push_back(u);
    } else if (static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f) {
      // Punctuation and spaces separate words: "Heckler & Koch", "Heckler&Koch" are one make.
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else if (c != '\t') {
      return Status::InvalidArgument("invalid_firearm",
                                     "the make holds only ASCII letters, digits and punctuation");
    } else if (!out.empty() && out.back() != ' ') {
      out.push_back(' ');
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.empty() || out.size() > 64) {
    return Status::InvalidArgument("invalid_firearm", "the make has 1 to 64 letters and digits");
  }
  std::string number;
  if (!CompactAlnum(serial, " -", number) || number.empty() || number.size() > 30) {
    return Status::InvalidArgument("invalid_firearm",
                                   "a serial number has 1 to 30 letters and digits");
  }
  return out + ":" + number;
}

Result<std::string> NormaliseImo(std::string_view raw) {
  const Status invalid =
      Status::InvalidArgument("invalid_imo", "an IMO number is 7 digits with a valid check digit");
  std::string text;
  if (!CompactAlnum(raw, " ", text)) return invalid;
  if (text.starts_with("IMO")) text.erase(0, 3);
  if (text.size() != 7) return invalid;
  int sum = 0;
  for (std::size_t i = 0; i < 7; ++i) {
    if (text[i] < '0' || text[i] > '9') return invalid;
    if (i < 6) sum += (text[i] - '0') * static_cast<int>(7 - i);
  }
  if (text[6] - '0' != sum % 10) return invalid;
  return text;
}

}  // namespace ncbnet::index
