// What x509.cc and x509_csr.cc share: owning pointers for OpenSSL objects, and the steps of
// issuing a leaf certificate once its public key is known. For the crypto module's sources
// only; OpenSSL types never leave crypto/.
//
// Thread safety: the functions keep no state; OpenSSL's error queue is per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "core/status.h"
#include "crypto/x509.h"

namespace ncbnet::crypto::internal {

// unique_ptr deleters for OpenSSL objects: every object we create is owned by one of these.
template <auto kFree>
struct Free {
  template <typename T>
  void operator()(T* p) const {
    kFree(p);
  }
};
using BioPtr = std::unique_ptr<BIO, Free<BIO_free_all>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Free<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Free<EVP_PKEY_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, Free<X509_free>>;
using X509ReqPtr = std::unique_ptr<X509_REQ, Free<X509_REQ_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, Free<BN_free>>;
using Asn1TimePtr = std::unique_ptr<ASN1_TIME, Free<ASN1_TIME_free>>;
using X509CrlPtr = std::unique_ptr<X509_CRL, Free<X509_CRL_free>>;

// Clears OpenSSL's per-thread error queue (so details cannot surface in a later, unrelated
// check) and returns kInternal "openssl_error" with `what`, which never carries key material.
Status OpensslError(std::string what);

// A read-only memory BIO over `text`; null if it is too large for OpenSSL's int lengths.
BioPtr ReadOnlyBio(const std::string& text);

// Reads a whole memory BIO into a string.
std::string BioContents(BIO* bio);

Result<PkeyPtr> GenerateP256Key();

struct LoadedCa {
  X509Ptr cert;
  PkeyPtr key;
};
// The CA certificate and its key, checked to match and to be a CA. Errors: kInvalidArgument
// "invalid_ca".
Result<LoadedCa> LoadCa(const KeyAndCert& ca);

// True for an http(s) URL of letters, digits and . - _ : / [ ] only, at most 200 bytes: safe to
// put in OpenSSL's extension syntax.
bool IsSafeUrl(std::string_view url);

// PKCS#8 PEM ("BEGIN PRIVATE KEY"), unencrypted; secret.
Result<std::string> KeyToPem(EVP_PKEY* key);

// A leaf certificate (clientAuth or serverAuth as `request` says) for `subject_key`, signed
// by `ca`, as PEM. Errors: kInvalidArgument "invalid_ca", "invalid_common_name",
// "invalid_validity", "invalid_request" (a bad subjectAltName).
Result<std::string> SignLeaf(const KeyAndCert& ca, const CertRequest& request,
                             EVP_PKEY* subject_key);

}  // namespace ncbnet::crypto::internal
