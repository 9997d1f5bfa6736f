// OpenSSL 3 (Debian `libssl-dev`): the EVP interfaces Trent uses where swift-crypto has no API.
// See Sources/KMSOpenSSL for the Swift types over them and docs/design.md for which algorithm
// comes from which library.
#ifndef TRENT_COPENSSL_SHIM_H
#define TRENT_COPENSSL_SHIM_H
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/err.h>
#include <openssl/rsa.h>
#include <openssl/ec.h>
#include <openssl/ecdh.h>
#include <openssl/x509.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#endif
