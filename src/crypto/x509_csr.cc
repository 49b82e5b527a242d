// PKCS#10 certificate signing requests: made by clients (`ncbnet agency cert issue`), checked
// and signed by the hub (POST /v1/agencies/{id}/certificates).
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "crypto/internal/x509_common.h"
#include "crypto/x509.h"

namespace ncbnet::crypto {
namespace {

using internal::BioPtr;
using internal::OpensslError;
using internal::PkeyCtxPtr;
using internal::PkeyPtr;
using internal::X509ReqPtr;

constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE REQUEST-----";
constexpr std::string_view kEnd = "-----END CERTIFICATE REQUEST-----";

Status InvalidCsr(const std::string& why) {
  ERR_clear_error();
  return Status::InvalidArgument("invalid_csr", why);
}

// The one PEM block of `pem`, which may have nothing around it but whitespace: OpenSSL would
// read the first of several blocks and skip text before it, and what we sign must be what the
// client sent.
Result<std::string> OnePemBlock(const std::string& pem) {
  if (pem.size() > kMaxCsrBytes) return InvalidCsr("CSR larger than 16 KiB");
  const std::size_t begin = pem.find(kBegin);
  const std::size_t end = pem.find(kEnd);
  if (begin == std::string::npos || end == std::string::npos || end < begin ||
      pem.find(kBegin, begin + 1) != std::string::npos) {
    return InvalidCsr("expected one PEM 'CERTIFICATE REQUEST' block");
  }
  constexpr std::string_view kSpace = " \t\r\n";
  const std::string_view text(pem);
  const bool clean_before = text.substr(0, begin).find_first_not_of(kSpace) == std::string::npos;
  const bool clean_after =
      text.substr(end + kEnd.size()).find_first_not_of(kSpace) == std::string::npos;
  if (!clean_before || !clean_after) return InvalidCsr("text outside the PEM block");
  return pem.substr(begin, end + kEnd.size() - begin) + "\n";
}

// EC keys on P-256 or P-384 with a point on the curve, or RSA keys of 2048 to 4096 bits.
Status CheckKey(EVP_PKEY* key) {
  const Status unsupported = Status::InvalidArgument(
      "unsupported_key", "use an EC P-256 or P-384 key, or RSA of 2048 to 4096 bits");
  if (EVP_PKEY_is_a(key, "EC") == 1) {
    char group[64] = {};
    std::size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
                                       &len) != 1) {
      ERR_clear_error();
      return unsupported;
    }
    const std::string_view name(group, len);
    if (name != "prime256v1" && name != "secp384r1") return unsupported;
    // A point off the curve invites invalid-curve attacks on whoever uses the key.
    const PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
    if (!ctx || EVP_PKEY_public_check(ctx.get()) != 1) {
      ERR_clear_error();
      return Status::InvalidArgument("unsupported_key", "the EC public key is not valid");
    }
    return Status::Ok();
  }
  if (EVP_PKEY_is_a(key, "RSA") == 1) {
    const int bits = EVP_PKEY_get_bits(key);
    if (bits >= 2048 && bits <= 4096) return Status::Ok();
  }
  ERR_clear_error();
  return unsupported;
}

Result<std::string> CsrToPem(X509_REQ* req) {
  const BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509_REQ(bio.get(), req) != 1) return OpensslError("cannot write CSR");
  return internal::BioContents(bio.get());
}

}  // namespace

Result<KeyAndCsr> CreateCertificateSigningRequest(const std::string& common_name) {
  if (common_name.empty() || common_name.size() > 64) {
    return Status::InvalidArgument("invalid_common_name", "common name empty or too long");
  }
  NCBNET_ASSIGN_OR_RETURN(PkeyPtr key, internal::GenerateP256Key());
  const X509ReqPtr req(X509_REQ_new());
  if (!req) return OpensslError("out of memory");
  X509_NAME* name = X509_REQ_get_subject_name(req.get());
  const auto* cn = reinterpret_cast<const unsigned char*>(common_name.c_str());
  const auto* org = reinterpret_cast<const unsigned char*>("ncbnet");
  if (X509_NAME_add_entry_by_NID(name, NID_commonName, MBSTRING_UTF8, cn, -1, -1, 0) != 1 ||
      X509_NAME_add_entry_by_NID(name, NID_organizationName, MBSTRING_UTF8, org, -1, -1, 0) != 1) {
    ERR_clear_error();
    return Status::InvalidArgument("invalid_common_name", "common name not usable");
  }
  if (X509_REQ_set_version(req.get(), X509_REQ_VERSION_1) != 1 ||
      X509_REQ_set_pubkey(req.get(), key.get()) != 1 ||
      X509_REQ_sign(req.get(), key.get(), EVP_sha256()) <= 0) {
    return OpensslError("cannot build CSR");
  }
  KeyAndCsr out;
  NCBNET_ASSIGN_OR_RETURN(out.csr_pem, CsrToPem(req.get()));
  NCBNET_ASSIGN_OR_RETURN(out.key_pem, internal::KeyToPem(key.get()));
  return out;
}

Result<std::string> IssueCertificateForCsr(const KeyAndCert& ca, const std::string& csr_pem,
                                           const CertRequest& request) {
  if (request.server) {
    return Status::InvalidArgument("invalid_request", "CSRs are signed for client certificates");
  }
  NCBNET_ASSIGN_OR_RETURN(const std::string block, OnePemBlock(csr_pem));
  const BioPtr bio = internal::ReadOnlyBio(block);
  const X509ReqPtr req(bio ? PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!req) return InvalidCsr("the CSR does not parse");
  EVP_PKEY* key = X509_REQ_get0_pubkey(req.get());  // owned by `req`
  if (key == nullptr) return InvalidCsr("the CSR carries no usable public key");
  NCBNET_RETURN_IF_ERROR(CheckKey(key));
  // The self-signature proves that the requester holds the private key.
  if (X509_REQ_verify(req.get(), key) != 1) return InvalidCsr("the CSR's signature is wrong");
  return internal::SignLeaf(ca, request, key);
}

}  // namespace ncbnet::crypto
