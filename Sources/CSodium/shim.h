// libsodium (Debian `libsodium-dev`): Ed25519ph (RFC 8032 §5.1, empty context), which neither
// swift-crypto nor OpenSSL 3.0 offers. See Sources/KMSSodium.
#ifndef TRENT_CSODIUM_SHIM_H
#define TRENT_CSODIUM_SHIM_H
#include <sodium.h>
#endif
