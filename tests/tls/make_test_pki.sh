#!/usr/bin/env bash
# Makes the test PKI in $1 with the openssl CLI, at build time (nothing is
# committed): a root CA, server certificates for localhost/127.0.0.1 (RSA-2048
# like real gateways' chains, and ECDSA P-256), and the bad ones the tests
# must reject: expired, wrong host name, signed by an untrusted CA.
set -euo pipefail
out=$1
mkdir -p "$out"
cd "$out"
rm -rf ca-db && mkdir ca-db && : > ca-db/index.txt && echo 1000 > ca-db/serial

q() { "$@" >/dev/null 2>&1 || { echo "make_test_pki: failed: $*" >&2; "$@"; exit 1; }; }

ca_ext="basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash"
server_ext() {
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' "$1"
}
printf '%s\n' "$ca_ext" > ca.ext

make_ca() {  # name subject
  q openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.pem" -days 3650 -sha256 \
    -subj "/O=posagent tests/CN=$2" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign"
}
# server name ca keytype san [startdate enddate]
make_server() {
  local name=$1 ca=$2 keytype=$3 san=$4
  server_ext "$san" > "$name.ext"
  if [ "$keytype" = ec ]; then
    q openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$name.key" -out "$name.csr" -subj "/O=posagent tests/CN=localhost"
  else
    q openssl req -new -newkey rsa:2048 -nodes -keyout "$name.key" -out "$name.csr" -subj "/O=posagent tests/CN=localhost"
  fi
  if [ $# -ge 6 ]; then
    cat > ca.cnf <<CNF
[ca]
default_ca = test_ca
[test_ca]
database = ca-db/index.txt
serial = ca-db/serial
new_certs_dir = ca-db
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[any]
commonName = supplied
organizationName = optional
CNF
    q openssl ca -batch -config ca.cnf -cert "$ca.pem" -keyfile "$ca.key" -in "$name.csr" -out "$name.pem" \
      -startdate "$5" -enddate "$6" -extfile "$name.ext" -notext
  else
    q openssl x509 -req -in "$name.csr" -CA "$ca.pem" -CAkey "$ca.key" -CAserial ca-db/serial \
      -days 825 -sha256 -extfile "$name.ext" -out "$name.pem"
  fi
  rm -f "$name.csr" "$name.ext"
}

make_ca ca "posagent test root CA"
make_ca rogue-ca "untrusted test CA"
make_server server ca rsa "DNS:localhost,IP:127.0.0.1"
make_server server-ec ca ec "DNS:localhost,IP:127.0.0.1"
make_server server-wrong-name ca rsa "DNS:wrong.example"
make_server server-untrusted rogue-ca rsa "DNS:localhost,IP:127.0.0.1"
make_server server-expired ca rsa "DNS:localhost,IP:127.0.0.1" 20200101000000Z 20210101000000Z
date +%s > made-at
rm -rf ca-db ca.cnf ca.ext rogue-ca.key
