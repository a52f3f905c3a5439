# cmake -DPKI_DIR=... -DOUT=... -P embed_pki.cmake
# Writes the test PKI as C++ arrays (PEM text with its NUL, as Mbed TLS
# wants) so test images without a file system can use it.
set(body "// Generated from the test PKI made at build time. Do not edit.\n")
string(APPEND body "#include \"tests/support/test_pki.hpp\"\n\nnamespace posagent::test_pki {\nnamespace {\n")
foreach(file ca.pem rogue-ca.pem server.pem server.key server-ec.pem server-ec.key
             server-wrong-name.pem server-wrong-name.key server-untrusted.pem server-untrusted.key
             server-expired.pem server-expired.key)
  string(MAKE_C_IDENTIFIER "k_${file}" id)
  file(READ "${PKI_DIR}/${file}" text)
  string(APPEND body "const char ${id}[] = R\"PEM(${text})PEM\";\n")
endforeach()
string(APPEND body "
std::span<const std::uint8_t> bytes(const char* text, std::size_t size_with_nul) {
  return {reinterpret_cast<const std::uint8_t*>(text), size_with_nul};
}
#define POSAGENT_PKI_BYTES(id) bytes(id, sizeof(id))
}  // namespace

std::span<const std::uint8_t> trusted_ca() { return POSAGENT_PKI_BYTES(k_ca_pem); }
std::span<const std::uint8_t> untrusted_ca() { return POSAGENT_PKI_BYTES(k_rogue_ca_pem); }
Credential server_rsa() { return {POSAGENT_PKI_BYTES(k_server_pem), POSAGENT_PKI_BYTES(k_server_key)}; }
Credential server_ec() { return {POSAGENT_PKI_BYTES(k_server_ec_pem), POSAGENT_PKI_BYTES(k_server_ec_key)}; }
Credential server_wrong_name() { return {POSAGENT_PKI_BYTES(k_server_wrong_name_pem), POSAGENT_PKI_BYTES(k_server_wrong_name_key)}; }
Credential server_untrusted() { return {POSAGENT_PKI_BYTES(k_server_untrusted_pem), POSAGENT_PKI_BYTES(k_server_untrusted_key)}; }
Credential server_expired() { return {POSAGENT_PKI_BYTES(k_server_expired_pem), POSAGENT_PKI_BYTES(k_server_expired_key)}; }
")
file(READ "${PKI_DIR}/made-at" made_at)
string(STRIP "${made_at}" made_at)
string(APPEND body "const std::int64_t kMadeAtUnix = ${made_at};\n}  // namespace posagent::test_pki\n")
file(WRITE "${OUT}" "${body}")
