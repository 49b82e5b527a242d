// Normalisation and validation of the identifiers that the databases of issue 4 check by exact
// match: travel document numbers, VINs, vehicle plates, firearm serials and IMO ship numbers.
// Each function turns what an officer or a national system typed into the one canonical string
// that the identifier index (index/identifier_index.h) is keyed on, or says why it cannot.
// Two spellings of the same identifier ("AB 12-3456", "ab123456") give the same string; text
// that is not an identifier of that kind gives kInvalidArgument with a stable reason and a
// message safe to show the client (it never repeats the input).
//
// Only ASCII is accepted: names in other scripts go through text/ (ICU) before they get here.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace ncbnet::index {

// A travel document number (passport, identity card, visa): upper-cased, with spaces, '-',
// '.', '/' and the MRZ filler '<' dropped, 1..20 letters and digits. Error: kInvalidArgument
// "invalid_document_number" (empty, too long, or another character).
Result<std::string> NormaliseDocumentNumber(std::string_view raw);

// A vehicle identification number. Upper-cased, spaces and '-' dropped. A 17-character VIN
// (ISO 3779) must be letters and digits without I, O and Q; if `north_american` (the
// manufacturer code says North America, where FMVSS 115 makes position 9 a check digit), the
// check digit is verified. Shorter identifiers of 5..16 letters and digits are accepted as
// they are: vehicles built before 1981 carry serials of the maker's own format. Error:
// kInvalidArgument "invalid_vin" with a message saying what is wrong.
Result<std::string> NormaliseVin(std::string_view raw, bool north_american);

// The check digit ('0'..'9' or 'X') of a 17-character VIN (letters and digits, no I, O, Q):
// the weighted sum of the transliterated characters modulo 11 (49 CFR 565.15). Position 9 of
// `vin` is ignored. Returns '\0' if `vin` is not 17 valid characters.
char VinCheckDigit(std::string_view vin);

// A vehicle registration plate with the ISO 3166-1 alpha-3 code of the country that issued it:
// "FRA:AB123CD". The plate is upper-cased, spaces and '-' dropped, 1..12 letters and digits;
// the country is upper-cased and must be three letters. Errors: kInvalidArgument
// "invalid_plate" or "invalid_country".
Result<std::string> NormalisePlate(std::string_view country, std::string_view plate);

// A firearm serial number with the make it was stamped by: "MAKE:SERIAL". The make is
// upper-cased, ASCII punctuation and runs of white space become one space, trimmed, 1..64
// characters ("Smith & Wesson" -> "SMITH WESSON"); the serial is upper-cased, spaces and '-'
// dropped, 1..30 letters and digits. Error: kInvalidArgument "invalid_firearm".
Result<std::string> NormaliseFirearm(std::string_view make, std::string_view serial);

// An IMO ship identification number, "IMO 9074729" or "9074729": seven digits whose last is
// the last digit of the sum of the first six times 7, 6, 5, 4, 3, 2 (SOLAS XI-1/3). Returns
// the seven digits. Error: kInvalidArgument "invalid_imo".
Result<std::string> NormaliseImo(std::string_view raw);

}  // namespace ncbnet::index
