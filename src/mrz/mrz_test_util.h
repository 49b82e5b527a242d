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

// An identity card (TD1) with correct check digits. `number` may be longer than 9 characters:
// it is then extended into the optional data as Doc 9303 Part 5 says.
struct Td1 {
  std::string code = "I<", state = "UTO", number = "D23145890", optional = "", birth = "740812",
              sex = "F", expiry = "120415", nationality = "UTO", optional2 = "",
              name = "ERIKSSON<<ANNA<MARIA";
  std::string Build() const {
    std::string l1 = code + state;
    if (number.size() > 9) {
      l1 += number.substr(0, 9) + "<" + number.substr(9) + TestCheckDigit(number) + "<" + optional;
    } else {
      l1 += Pad(number, 9) + TestCheckDigit(Pad(number, 9)) + optional;
    }
    l1 = Pad(l1, 30);
    std::string l2 = birth + TestCheckDigit(birth) + sex + expiry + TestCheckDigit(expiry) +
                     nationality + Pad(optional2, 11);
    l2 += TestCheckDigit(l1.substr(5, 25) + l2.substr(0, 7) + l2.substr(8, 7) + l2.substr(18, 11));
    return l1 + "\n" + l2 + "\n" + Pad(name, 30);
  }
};

// TD2 (width 36, with composite), MRV-A (44) or MRV-B (36) (no composite): the shape of line 2
// up to the optional data is the same.
struct TwoLine {
  std::size_t width = 36;
  bool composite = true;
  std::string code = "I<", state = "UTO", name = "ERIKSSON<<ANNA<MARIA", number = "D23145890",
              nationality = "UTO", birth = "740812", sex = "F", expiry = "120415", optional = "";
  std::string Build() const {
    const std::string num = Pad(number, 9);
    std::string l2 = num + TestCheckDigit(num) + nationality + birth + TestCheckDigit(birth) + sex +
                     expiry + TestCheckDigit(expiry);
    if (composite) {
      l2 = Pad(l2 + optional, width - 1);
      l2 += TestCheckDigit(l2.substr(0, 10) + l2.substr(13, 7) + l2.substr(21, width - 22));
    } else {
      l2 = Pad(l2 + optional, width);
    }
    return Pad(code + state + name, width) + "\n" + l2;
  }
};

}  // namespace ncbnet::mrz::testutil
