// Test-only MRZ builders with their own check-digit code, written from Doc 9303 Part 3, 4.9
// independently of internal/fields.cc, so that a wrong weight or character value in the
// library cannot agree with itself in the tests.
#pragma once

#include <algorithm>
#include <chrono>
#include <string>
#include <string_view>

namespace ncbnet::mrz::testutil {

// The day the tests read MRZs on; the century rule depends on it.
// The ICAO Doc 9303 Part 4 (TD3), Part 5 (TD1) and Part 6 (TD2) specimens.
constexpr const char* kTd3Specimen =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
constexpr const char* kTd1Specimen =
    "I<UTOD231458907<<<<<<<<<<<<<<<\n"
    "7408122F1204159UTO<<<<<<<<<<<6\n"
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<";
constexpr const char* kTd2Specimen =
    "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n"
    "D231458907UTO7408122F1204159<<<<<<<6";

inline std::chrono::sys_days Today() {
  return std::chrono::sys_days(std::chrono::year(2026) / 11 / 28);
}

inline char TestCheckDigit(std::string_view data) {
  const int weights[] = {7, 3, 1};
  int sum = 0;
  for (std::size_t i = 0; i < data.size(); ++i) {
    const char c = data[i];
    const int value = c == '<' ? 0 : (c <= '9' ? c - '0' : c - 'A' + 10);
    sum += value * weights[i % 3];
  }
  return static_cast<char>('0' + sum % 10);
}

// `text` padded with '<' to `width`.
inline std::string Pad(std::string text, std::size_t width) {
  text.resize(std::max(width, text.size()), '<');
  return text;
}

// A passport (TD3) with correct check digits; change a field, then Build().
struct Td3 {
  std::string code = "P<", state = "UTO", name = "ERIKSSON<<ANNA<MARIA", number = "L898902C3",
              nationality = "UTO", birth = "740812", sex = "F", expiry = "120415",
              personal = "ZE184226B";
  std::string Build() const {
    const std::string num = Pad(number, 9), pers = Pad(personal, 14);
    std::string l2 = num + TestCheckDigit(num) + nationality + birth + TestCheckDigit(birth) + sex +
                     expiry + TestCheckDigit(expiry) + pers + TestCheckDigit(pers);
    l2 += TestCheckDigit(l2.substr(0, 10) + l2.substr(13, 7) + l2.substr(21, 22));
    return Pad(code + state + name, 44) + "\n" + l2;
  }
};

// The number field, its check digit and the optional data that follow it, for a `number` of
// any length: one longer than 9 characters is extended into the optional data as Doc 9303 Part 5
// and Part 6 (note j) say, its check digit over the whole number or, `with_filler`, over the
// first 9 characters, '<' and the rest, as some issuers compute it.
inline std::string NumberAndOptional(const std::string& number, const std::string& optional,
                                     bool with_filler) {
  if (number.size() <= 9) {
    const std::string num = Pad(number, 9);
    return num + TestCheckDigit(num) + optional;
  }
  const std::string first = number.substr(0, 9), rest = number.substr(9);
  const char digit = TestCheckDigit(with_filler ? first + "<" + rest : number);
  return first + "<" + rest + digit + "<" + optional;
}

// An identity card (TD1) with correct check digits; `number` may be extended.
struct Td1 {
  std::string code = "I<", state = "UTO", number = "D23145890", optional = "", birth = "740812",
              sex = "F", expiry = "120415", nationality = "UTO", optional2 = "",
              name = "ERIKSSON<<ANNA<MARIA";
  bool with_filler = false;
  std::string Build() const {
    const std::string l1 = Pad(code + state + NumberAndOptional(number, optional, with_filler), 30);
    std::string l2 = birth + TestCheckDigit(birth) + sex + expiry + TestCheckDigit(expiry) +
                     nationality + Pad(optional2, 11);
    l2 += TestCheckDigit(l1.substr(5, 25) + l2.substr(0, 7) + l2.substr(8, 7) + l2.substr(18, 11));
    return l1 + "\n" + l2 + "\n" + Pad(name, 30);
  }
};

// TD2 (width 36, with composite), MRV-A (44) or MRV-B (36) (no composite): the shape of line 2
// up to the optional data is the same. A TD2 `number` may be extended.
struct TwoLine {
  std::size_t width = 36;
  bool composite = true;
  std::string code = "I<", state = "UTO", name = "ERIKSSON<<ANNA<MARIA", number = "D23145890",
              nationality = "UTO", birth = "740812", sex = "F", expiry = "120415", optional = "";
  bool with_filler = false;
  std::string Build() const {
    const std::string num_opt = NumberAndOptional(number, optional, with_filler);
    std::string l2 = num_opt.substr(0, 10) + nationality + birth + TestCheckDigit(birth) + sex +
                     expiry + TestCheckDigit(expiry);
    const std::string opt = num_opt.substr(10);
    if (composite) {
      l2 = Pad(l2 + opt, width - 1);
      l2 += TestCheckDigit(l2.substr(0, 10) + l2.substr(13, 7) + l2.substr(21, width - 22));
    } else {
      l2 = Pad(l2 + opt, width);
    }
    return Pad(code + state + name, width) + "\n" + l2;
  }
};

}  // namespace ncbnet::mrz::testutil
