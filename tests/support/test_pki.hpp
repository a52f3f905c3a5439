// The test PKI, made with the openssl CLI when the tests are built
// (tests/tls/make_test_pki.sh) and embedded so that images without a file
// system can use it. Each span is PEM text including its terminating NUL.
#pragma once

#include <cstdint>
#include <span>

namespace posagent::test_pki {

struct Credential {
  std::span<const std::uint8_t> certificate;
  std::span<const std::uint8_t> private_key;
};

std::span<const std::uint8_t> trusted_ca();    // the root every good server chains to
std::span<const std::uint8_t> untrusted_ca();  // a root the client never trusts
Credential server_rsa();         // localhost + 127.0.0.1, RSA-2048, valid
Credential server_ec();          // localhost + 127.0.0.1, ECDSA P-256, valid
Credential server_wrong_name();  // valid chain, but for wrong.example
Credential server_untrusted();   // localhost, signed by the untrusted root
Credential server_expired();     // localhost, valid only during 2020

// When the PKI was made (Unix seconds): the valid certificates cover it.
extern const std::int64_t kMadeAtUnix;

}  // namespace posagent::test_pki
