/* Mbed TLS 2.28 configuration of posagent, the same on every target.
 *
 * A TLS 1.2 client for payment gateways: ECDHE-RSA and ECDHE-ECDSA key
 * exchange with AES-GCM, X.509 chain and hostname verification with dates
 * checked against the HAL's wall clock, SNI, session resumption (session id
 * and tickets), and every allocation served from a static pool
 * (MBEDTLS_MEMORY_BUFFER_ALLOC_C) whose peak use can be read.
 *
 * POSAGENT_TLS_TEST_PEER adds the server role (and a session cache) for test
 * images that run an in-memory TLS server beside the client; firmware is
 * built without it. */
#ifndef POSAGENT_MBEDTLS_CONFIG_H
#define POSAGENT_MBEDTLS_CONFIG_H

/* --- Platform: no OS, no libc heap, time and entropy from the HAL --------- */
#define MBEDTLS_HAVE_ASM
#define MBEDTLS_HAVE_TIME
#define MBEDTLS_HAVE_TIME_DATE          /* without it certificate dates are not checked */
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MEMORY
#define MBEDTLS_PLATFORM_TIME_ALT       /* core/tls sets mbedtls_time to the HAL clock */
#define MBEDTLS_PLATFORM_GMTIME_R_ALT   /* newlib's gmtime() mallocs; core/tls uses gmtime_r */
#define MBEDTLS_MEMORY_BUFFER_ALLOC_C
#define MBEDTLS_MEMORY_DEBUG            /* peak-use counters of the pool */
#define MBEDTLS_MEMORY_ALIGN_MULTIPLE 8 /* 64-bit targets need 8-byte aligned blocks */
#define MBEDTLS_NO_PLATFORM_ENTROPY     /* the DRBG is seeded from hal::Entropy */

/* --- Big numbers, curves, hashes, ciphers ----------------------------------- */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_MPI_MAX_SIZE 512        /* RSA-4096 roots still verify */
#define MBEDTLS_MPI_WINDOW_SIZE 2
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_DP_SECP384R1_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_ECP_WINDOW_SIZE 2
#define MBEDTLS_ECP_FIXED_POINT_OPTIM 0 /* halves EC peak memory */
#define MBEDTLS_ECDH_C
#define MBEDTLS_ECDSA_C
#define MBEDTLS_RSA_C
#define MBEDTLS_PKCS1_V15
/* No MBEDTLS_PKCS1_V21 (RSA-PSS, OAEP): 2.28's TLS 1.2 signs with PKCS#1
   v1.5 only, and PSS-signed certificates would also need
   MBEDTLS_X509_RSASSA_PSS_SUPPORT; it was 2 KB of unused flash. */
#define MBEDTLS_MD_C
#define MBEDTLS_SHA1_C                  /* some CA certificates are still SHA-1 self-signed */
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA256_SMALLER
#define MBEDTLS_SHA512_C                /* SHA-384 suites and P-384 chains */
#define MBEDTLS_SHA512_SMALLER          /* a rolled loop: 2 KB less flash, slower hashing */
#define MBEDTLS_AES_C
#define MBEDTLS_AES_ROM_TABLES
#define MBEDTLS_AES_FEWER_TABLES        /* 2 KB of tables, the rest rotated on the fly: 6 KB less flash */
#define MBEDTLS_GCM_C
#define MBEDTLS_CIPHER_C
#define MBEDTLS_CTR_DRBG_C

/* --- Certificates ------------------------------------------------------------ */
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_OID_C
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_PEM_PARSE_C             /* the CA bundle is configuration, usually PEM */
#define MBEDTLS_BASE64_C
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_X509_CHECK_KEY_USAGE
#define MBEDTLS_X509_CHECK_EXTENDED_KEY_USAGE

/* --- TLS 1.2 client ------------------------------------------------------------- */
#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_CLI_C
#define MBEDTLS_SSL_PROTO_TLS1_2
#define MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED
#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
#define MBEDTLS_SSL_SERVER_NAME_INDICATION
#define MBEDTLS_SSL_SESSION_TICKETS
#define MBEDTLS_SSL_EXTENDED_MASTER_SECRET
#define MBEDTLS_SSL_MAX_FRAGMENT_LENGTH
/* The input buffer must hold any record a server may send (2.28 cannot
   reassemble a fragmented handshake message); the output buffer only holds
   our requests. */
#define MBEDTLS_SSL_IN_CONTENT_LEN 16384
#define MBEDTLS_SSL_OUT_CONTENT_LEN 4096
#define MBEDTLS_SSL_CIPHERSUITES                      \
  MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,    \
  MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,      \
  MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,    \
  MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384

/* --- Test peer only ------------------------------------------------------------ */
#if defined(POSAGENT_TLS_TEST_PEER)
#define MBEDTLS_SSL_SRV_C
#define MBEDTLS_SSL_CACHE_C             /* session-id resumption on the server side */
#define MBEDTLS_SSL_TICKET_C            /* ticket resumption on the server side */
#endif

#include "mbedtls/check_config.h"

#endif /* POSAGENT_MBEDTLS_CONFIG_H */
