// base64url without padding (RFC 4648 §5), for opaque list cursors. Pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ucsc::capability {

std::string Base64UrlEncode(std::string_view bytes);
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace ucsc::capability
