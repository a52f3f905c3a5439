// A QR code of a text as a PNG, and as the data URL Cashfree returns in
// data.payload.qrcode ("data:image/png;base64,...").
#pragma once

#include <string>
#include <string_view>

namespace pgsim {

// Encodes `text` (ECC level M, boosted when it fits; automatic version and
// mask) and renders it 8 px per module with a 4-module quiet zone, 8-bit
// grey. Throws std::runtime_error if the text does not fit a QR code.
std::string qr_png(std::string_view text);
std::string qr_png_data_url(std::string_view text);

}  // namespace pgsim
