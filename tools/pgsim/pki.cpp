#include "pki.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <unistd.h>

#include "ids.h"

namespace pgsim {
namespace {

struct Free {
  void operator()(X509* p) const { X509_free(p); }
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};
using X509Ptr = std::unique_ptr<X509, Free>;
using KeyPtr = std::unique_ptr<EVP_PKEY, Free>;
using BioPtr = std::unique_ptr<BIO, Free>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Free>;

[[noreturn]] void fail(const std::string& what) {
  char buf[256] = "";
  ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
  throw std::runtime_error("pki: " + what + (buf[0] ? std::string(": ") + buf : std::string()));
}

void check(int ok, const char* what) {
  if (ok != 1) fail(what);
}

KeyPtr new_rsa_key() {
  KeyPtr key(EVP_RSA_gen(2048));
  if (!key) fail("RSA key generation");
  return key;
}

void add_ext(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
  ExtPtr ext(X509V3_EXT_conf_nid(nullptr, ctx, nid, value));
  if (!ext) fail(std::string("extension ") + OBJ_nid2sn(nid));
  check(X509_add_ext(cert, ext.get(), -1), "X509_add_ext");
}

X509_NAME* make_name(const char* cn) {
  X509_NAME* name = X509_NAME_new();
  if (!name) fail("X509_NAME_new");
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("pgsim"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
  return name;
}

// A certificate for `key` named `cn`, signed by issuer (self-signed when
// issuer_cert is null).
X509Ptr make_cert(EVP_PKEY* key, const char* cn, X509* issuer_cert, EVP_PKEY* issuer_key, long days, bool is_ca) {
  X509Ptr cert(X509_new());
  if (!cert) fail("X509_new");
  check(X509_set_version(cert.get(), 2), "X509_set_version");
  ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert.get()), random_u64() >> 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);  // tolerate small clock skew
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), days * 86400L);
  check(X509_set_pubkey(cert.get(), key), "X509_set_pubkey");
  X509_NAME* name = make_name(cn);
  check(X509_set_subject_name(cert.get(), name), "X509_set_subject_name");
  X509_NAME_free(name);
  X509* issuer = issuer_cert ? issuer_cert : cert.get();
  check(X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer)), "X509_set_issuer_name");

  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert.get(), nullptr, nullptr, 0);
  if (is_ca) {
    add_ext(cert.get(), &ctx, NID_basic_constraints, "critical,CA:TRUE");
    add_ext(cert.get(), &ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
    add_ext(cert.get(), &ctx, NID_subject_key_identifier, "hash");
  } else {
    add_ext(cert.get(), &ctx, NID_basic_constraints, "CA:FALSE");
    add_ext(cert.get(), &ctx, NID_key_usage, "critical,digitalSignature,keyEncipherment");
    add_ext(cert.get(), &ctx, NID_ext_key_usage, "serverAuth");
    add_ext(cert.get(), &ctx, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
    add_ext(cert.get(), &ctx, NID_subject_key_identifier, "hash");
    add_ext(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always");
  }
  if (X509_sign(cert.get(), issuer_key, EVP_sha256()) <= 0) fail("X509_sign");
  return cert;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return {};
  return std::string(std::istreambuf_iterator<char>(in), {});
}

X509Ptr load_cert(const std::filesystem::path& p) {
  const std::string pem = read_file(p);
  if (pem.empty()) return nullptr;
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

KeyPtr load_key(const std::filesystem::path& p) {
  const std::string pem = read_file(p);
  if (pem.empty()) return nullptr;
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return KeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

// Valid now and for at least another day.
bool time_ok(X509* cert) {
  time_t tomorrow = time(nullptr) + 86400;
  return X509_cmp_current_time(X509_get0_notBefore(cert)) < 0 &&
         X509_cmp_time(X509_get0_notAfter(cert), &tomorrow) > 0;
}

std::string to_pem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  check(PEM_write_bio_X509(bio.get(), cert), "PEM_write_bio_X509");
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string to_pem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr), "PEM_write_bio_PrivateKey");
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

// Temp file + fsync + rename, so a crash never leaves half a file.
void write_atomically(const std::filesystem::path& p, const std::string& data, mode_t mode) {
  const std::filesystem::path tmp = p.string() + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw std::runtime_error("pki: cannot write " + tmp.string());
  ::fchmod(::fileno(f), mode);
  const bool ok = std::fwrite(data.data(), 1, data.size(), f) == data.size() && std::fflush(f) == 0 &&
                  ::fsync(::fileno(f)) == 0;
  std::fclose(f);
  if (!ok) throw std::runtime_error("pki: cannot write " + tmp.string());
  std::filesystem::rename(tmp, p);
}

}  // namespace

PkiFiles ensure_pki(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  PkiFiles files{dir / "ca.pem", dir / "server.pem", dir / "server.key"};
  const auto ca_key_path = dir / "ca.key";

  X509Ptr ca = load_cert(files.ca_cert);
  KeyPtr ca_key = load_key(ca_key_path);
  if (!ca || !ca_key || X509_check_private_key(ca.get(), ca_key.get()) != 1 || !time_ok(ca.get()) ||
      X509_check_ca(ca.get()) == 0) {
    ERR_clear_error();
    ca_key = new_rsa_key();
    ca = make_cert(ca_key.get(), "pgsim test root CA", nullptr, ca_key.get(), 3650, true);
    write_atomically(ca_key_path, to_pem(ca_key.get()), 0600);
    write_atomically(files.ca_cert, to_pem(ca.get()), 0644);
    files.created_ca = true;
  }

  X509Ptr server = files.created_ca ? nullptr : load_cert(files.server_cert);
  KeyPtr server_key = files.created_ca ? nullptr : load_key(files.server_key);
  if (!server || !server_key || X509_check_private_key(server.get(), server_key.get()) != 1 ||
      X509_verify(server.get(), ca_key.get()) != 1 || !time_ok(server.get()) ||
      X509_check_host(server.get(), "localhost", 0, 0, nullptr) != 1 ||
      X509_check_ip_asc(server.get(), "127.0.0.1", 0) != 1) {
    ERR_clear_error();
    server_key = new_rsa_key();
    server = make_cert(server_key.get(), "localhost", ca.get(), ca_key.get(), 825, false);
    write_atomically(files.server_key, to_pem(server_key.get()), 0600);
    write_atomically(files.server_cert, to_pem(server.get()), 0644);
    files.created_server = true;
  }
  return files;
}

}  // namespace pgsim
