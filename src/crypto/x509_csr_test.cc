#include <string>

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "crypto/internal/x509_common.h"
#include "crypto/x509.h"

namespace ncbnet::crypto {
namespace {

constexpr std::int64_t kNowMs = 1'790'000'000'000;
constexpr std::int64_t kDayMs = 86'400'000;

using internal::BioPtr;
using internal::PkeyPtr;
using internal::X509Ptr;
using internal::X509ReqPtr;

X509Ptr ToX509(const std::string& pem) {
  const BioPtr bio = internal::ReadOnlyBio(pem);
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

PkeyPtr ReadKey(const std::string& pem) {
  const BioPtr bio = internal::ReadOnlyBio(pem);
  return PkeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

std::string ToPem(X509_REQ* req) {
  const BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509_REQ(bio.get(), req);
  return internal::BioContents(bio.get());
}

// A CSR for `key` that asks for more than it may have: CN "ncb-fra" (not its agency), and the
// extensions of a CA with a server name.
std::string GreedyCsr(EVP_PKEY* key, const EVP_MD* md = EVP_sha256()) {
  const X509ReqPtr req(X509_REQ_new());
  X509_NAME* name = X509_REQ_get_subject_name(req.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("ncb-fra"), -1, -1, 0);
  X509_REQ_set_pubkey(req.get(), key);
  STACK_OF(X509_EXTENSION)* exts = sk_X509_EXTENSION_new_null();
  sk_X509_EXTENSION_push(
      exts, X509V3_EXT_conf_nid(nullptr, nullptr, NID_basic_constraints, "critical,CA:TRUE"));
  sk_X509_EXTENSION_push(exts,
                         X509V3_EXT_conf_nid(nullptr, nullptr, NID_subject_alt_name, "DNS:hub"));
  X509_REQ_add_extensions(req.get(), exts);
  sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
  X509_REQ_sign(req.get(), key, md);
  return ToPem(req.get());
}

PkeyPtr Generate(const char* type, const char* param) {
  if (std::string(type) == "RSA") {
    return PkeyPtr(
        EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(std::stoul(param))));
  }
  if (std::string(type) == "EC") return PkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", param));
  return PkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, type));
}

class CsrTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<KeyAndCert> ca =
        CreateCertificateAuthority("ncbnet test CA", kNowMs - kDayMs, kNowMs + 365 * kDayMs);
    ASSERT_TRUE(ca.ok()) << ca.status().ToString();
    ca_ = *ca;
  }

  static CertRequest ForAgency(const std::string& agency) {
    CertRequest r;
    r.common_name = agency;
    r.not_before_ms = kNowMs - 1000;
    r.not_after_ms = kNowMs + 30 * kDayMs;
    return r;
  }

  void ExpectRefused(const std::string& csr, const std::string& reason) {
    Result<std::string> cert = IssueCertificateForCsr(ca_, csr, ForAgency("agc_a"));
    ASSERT_FALSE(cert.ok()) << csr.substr(0, 80);
    EXPECT_EQ(cert.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(cert.status().reason(), reason) << cert.status().ToString();
  }

  KeyAndCert ca_;
};

TEST_F(CsrTest, IssuesForTheCsrsKeyUnderTheHubsName) {
  Result<KeyAndCsr> csr = CreateCertificateSigningRequest("whatever-the-client-says");
  ASSERT_TRUE(csr.ok()) << csr.status().ToString();
  EXPECT_EQ(csr->key_pem.rfind("-----BEGIN PRIVATE KEY-----\n", 0), 0U);
  Result<std::string> pem = IssueCertificateForCsr(ca_, csr->csr_pem, ForAgency("agc_term1"));
  ASSERT_TRUE(pem.ok()) << pem.status().ToString();

  Result<CertInfo> info = ParseCertificate(*pem);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->common_name, "agc_term1");
  EXPECT_EQ(info->issuer_common_name, "ncbnet test CA");
  EXPECT_EQ(info->not_after_ms, kNowMs + 30 * kDayMs);
  const X509Ptr cert = ToX509(*pem);
  const PkeyPtr key = ReadKey(csr->key_pem);
  ASSERT_TRUE(cert && key);
  EXPECT_EQ(X509_check_private_key(cert.get(), key.get()), 1);
  EXPECT_NE(X509_get_extended_key_usage(cert.get()) & XKU_SSL_CLIENT, 0U);
}

TEST_F(CsrTest, IgnoresTheRequestedSubjectAndExtensions) {
  const PkeyPtr key = Generate("EC", "P-256");
  Result<std::string> pem = IssueCertificateForCsr(ca_, GreedyCsr(key.get()), ForAgency("agc_a"));
  ASSERT_TRUE(pem.ok()) << pem.status().ToString();
  const X509Ptr cert = ToX509(*pem);
  ASSERT_TRUE(cert);
  EXPECT_EQ(ParseCertificate(*pem)->common_name, "agc_a");
  EXPECT_EQ(X509_check_ca(cert.get()), 0);
  EXPECT_EQ(X509_get_ext_by_NID(cert.get(), NID_subject_alt_name, -1), -1);
  EXPECT_EQ(X509_get_extended_key_usage(cert.get()) & XKU_SSL_SERVER, 0U);
}

TEST_F(CsrTest, AcceptsP384AndRsa2048) {
  for (const auto& [type, param] : {std::pair{"EC", "P-384"}, std::pair{"RSA", "2048"}}) {
    const PkeyPtr key = Generate(type, param);
    ASSERT_TRUE(key);
    Result<std::string> pem = IssueCertificateForCsr(ca_, GreedyCsr(key.get()), ForAgency("agc_a"));
    EXPECT_TRUE(pem.ok()) << type << " " << param << ": " << pem.status().ToString();
  }
}

TEST_F(CsrTest, RefusesWeakOrOtherKeys) {
  for (const auto& [type, param] : {std::pair{"RSA", "1024"}, std::pair{"EC", "P-224"},
                                    std::pair{"EC", "secp256k1"}, std::pair{"ED25519", ""}}) {
    const PkeyPtr key = Generate(type, param);
    ASSERT_TRUE(key) << type << " " << param;
    const bool ed = std::string(type) == "ED25519";
    ExpectRefused(GreedyCsr(key.get(), ed ? nullptr : EVP_sha256()), "unsupported_key");
  }
}

TEST_F(CsrTest, RefusesABadSignature) {
  const PkeyPtr key = Generate("EC", "P-256");
  const PkeyPtr other = Generate("EC", "P-256");
  // Signed by another key than the one it carries: no proof of possession.
  const X509ReqPtr req(X509_REQ_new());
  X509_REQ_set_pubkey(req.get(), key.get());
  X509_REQ_sign(req.get(), other.get(), EVP_sha256());
  ExpectRefused(ToPem(req.get()), "invalid_csr");
}

TEST_F(CsrTest, RefusesMalformedPem) {
  Result<KeyAndCsr> good = CreateCertificateSigningRequest("x");
  ASSERT_TRUE(good.ok());
  const std::string& csr = good->csr_pem;
  std::string flipped = csr;
  flipped[csr.size() / 2] = flipped[csr.size() / 2] == 'A' ? 'B' : 'A';
  for (const std::string& bad :
       {std::string(), std::string("hello"), csr + csr, "junk\n" + csr, csr + "junk",
        std::string("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----"),
        csr.substr(0, csr.size() / 2), std::string(kMaxCsrBytes + 1, 'A'), flipped,
        ParseCertificate(ca_.cert_pem).ok() ? ca_.cert_pem : std::string()}) {
    ExpectRefused(bad, "invalid_csr");
  }
  // Whitespace around the block is fine (a pasted PEM).
  EXPECT_TRUE(IssueCertificateForCsr(ca_, "\n  " + csr + "\n\n", ForAgency("agc_a")).ok());
}

TEST_F(CsrTest, RefusesServerCertificatesAndABadCa) {
  Result<KeyAndCsr> csr = CreateCertificateSigningRequest("x");
  ASSERT_TRUE(csr.ok());
  CertRequest server = ForAgency("hub");
  server.server = true;
  EXPECT_EQ(IssueCertificateForCsr(ca_, csr->csr_pem, server).status().reason(), "invalid_request");
  EXPECT_EQ(IssueCertificateForCsr(KeyAndCert{}, csr->csr_pem, ForAgency("a")).status().reason(),
            "invalid_ca");
  EXPECT_EQ(IssueCertificateForCsr(ca_, csr->csr_pem, ForAgency("")).status().reason(),
            "invalid_common_name");
  EXPECT_EQ(CreateCertificateSigningRequest("").status().reason(), "invalid_common_name");
  EXPECT_EQ(CreateCertificateSigningRequest(std::string(65, 'a')).status().reason(),
            "invalid_common_name");
}

}  // namespace
}  // namespace ncbnet::crypto
