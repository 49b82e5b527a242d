// Byte encodings: hex, RFC 4648 base32 (TOTP secrets) and base64url without padding (tokens).
// Decoders reject anything malformed with kInvalidArgument "invalid_encoding".
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace ncbnet::crypto {

std::string HexEncode(std::string_view bytes);  // lower case
Result<std::string> HexDecode(std::string_view hex);

std::string Base32Encode(std::string_view bytes);         // upper case, no padding
Result<std::string> Base32Decode(std::string_view text);  // case-insensitive, padding optional

std::string Base64UrlEncode(std::string_view bytes);  // no padding
Result<std::string> Base64UrlDecode(std::string_view text);

}  // namespace ncbnet::crypto
