// pgsim's own test PKI, made with the OpenSSL C API on first start and reused
// afterwards: a root CA and a server certificate for localhost and 127.0.0.1
// (RSA-2048, SHA-256, CA-signed, SANs, serverAuth), like a real gateway's
// chain minus the intermediate. Clients trust ca.pem.
#pragma once

#include <filesystem>
#include <string>

namespace pgsim {

struct PkiFiles {
  std::filesystem::path ca_cert;      // ca.pem: give this to clients
  std::filesystem::path server_cert;  // server.pem
  std::filesystem::path server_key;   // server.key (0600)
  bool created_ca = false;
  bool created_server = false;
};

// Reuses the files in `dir` when they are present, well-formed, matching and
// valid for at least another day; remakes what is not. Throws on failure.
PkiFiles ensure_pki(const std::filesystem::path& dir);

}  // namespace pgsim
