#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "crypto/internal/x509_common.h"
#include "crypto/x509.h"

namespace ncbnet::crypto {
namespace {

constexpr std::int64_t kNowMs = 1'790'000'000'000;
constexpr std::int64_t kDayMs = 86'400'000;
constexpr char kCrlUrl[] = "https://hub.example.org:8443/v1/pki/crl";

using internal::Free;
using internal::X509Ptr;
using CrlPtr = internal::X509CrlPtr;

X509Ptr ToX509(const std::string& pem) {
  std::unique_ptr<BIO, Free<BIO_free>> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

CrlPtr ToCrl(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  return CrlPtr(d2i_X509_CRL(nullptr, &p, static_cast<long>(der.size())));  // NOLINT: OpenSSL
}

// OpenSSL's own verification of `cert` with the CA and the CRL checked.
int VerifyWithCrl(const std::string& cert_pem, const std::string& ca_pem, const std::string& der) {
  const X509Ptr cert = ToX509(cert_pem);
  const X509Ptr ca = ToX509(ca_pem);
  const CrlPtr crl = ToCrl(der);
  const std::unique_ptr<X509_STORE, Free<X509_STORE_free>> store(X509_STORE_new());
  const std::unique_ptr<X509_STORE_CTX, Free<X509_STORE_CTX_free>> ctx(X509_STORE_CTX_new());
  if (!cert || !ca || !crl || !store || !ctx || X509_STORE_add_cert(store.get(), ca.get()) != 1 ||
      X509_STORE_add_crl(store.get(), crl.get()) != 1 ||
      X509_STORE_CTX_init(ctx.get(), store.get(), cert.get(), nullptr) != 1) {
    return -1;
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_time(param, (kNowMs + kDayMs) / 1000);
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_CRL_CHECK);
  if (X509_verify_cert(ctx.get()) == 1) return X509_V_OK;
  return X509_STORE_CTX_get_error(ctx.get());
}

std::string DistributionPoint(const std::string& cert_pem) {
  const X509Ptr cert = ToX509(cert_pem);
  auto* points = static_cast<CRL_DIST_POINTS*>(
      X509_get_ext_d2i(cert.get(), NID_crl_distribution_points, nullptr, nullptr));
  std::string url;
  if (points != nullptr && sk_DIST_POINT_num(points) == 1) {
    const DIST_POINT* point = sk_DIST_POINT_value(points, 0);
    if (point->distpoint != nullptr && point->distpoint->type == 0) {
      const GENERAL_NAME* name = sk_GENERAL_NAME_value(point->distpoint->name.fullname, 0);
      if (name->type == GEN_URI) {
        const ASN1_IA5STRING* uri = name->d.uniformResourceIdentifier;
        url.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
                   static_cast<std::size_t>(ASN1_STRING_length(uri)));
      }
    }
  }
  CRL_DIST_POINTS_free(points);
  return url;
}

class CrlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ca = CreateCertificateAuthority("ncbnet test CA", kNowMs - kDayMs, kNowMs + 365 * kDayMs);
    ASSERT_TRUE(ca.ok()) << ca.status().ToString();
    ca_ = *ca;
  }

  KeyAndCert Client(const std::string& agency) {
    CertRequest r;
    r.common_name = agency;
    r.not_before_ms = kNowMs - kDayMs;
    r.not_after_ms = kNowMs + 30 * kDayMs;
    r.crl_url = kCrlUrl;
    auto issued = IssueCertificate(ca_, r);
    EXPECT_TRUE(issued.ok()) << issued.status().ToString();
    return issued.ok() ? *issued : KeyAndCert{};
  }

  KeyAndCert ca_;
};

TEST_F(CrlTest, CertificatesNameTheCrl) {
  EXPECT_EQ(DistributionPoint(Client("ncb-fra").cert_pem), kCrlUrl);
}

TEST_F(CrlTest, OpensslRefusesARevokedCertificateAndAcceptsTheOthers) {
  const KeyAndCert revoked = Client("agc-revoked");
  const KeyAndCert good = Client("agc-good");
  auto info = ParseCertificate(revoked.cert_pem);
  ASSERT_TRUE(info.ok());
  auto crl = IssueCrl(ca_, {{info->serial_hex, kNowMs - 1000}}, kNowMs, kNowMs + 7 * kDayMs, 3);
  ASSERT_TRUE(crl.ok()) << crl.status().ToString();
  EXPECT_EQ(VerifyWithCrl(revoked.cert_pem, ca_.cert_pem, *crl), X509_V_ERR_CERT_REVOKED);
  EXPECT_EQ(VerifyWithCrl(good.cert_pem, ca_.cert_pem, *crl), X509_V_OK);

  const CrlPtr parsed = ToCrl(*crl);
  ASSERT_TRUE(parsed);
  auto* number = static_cast<ASN1_INTEGER*>(
      X509_CRL_get_ext_d2i(parsed.get(), NID_crl_number, nullptr, nullptr));
  ASSERT_NE(number, nullptr);
  EXPECT_EQ(ASN1_INTEGER_get(number), 3);
  ASN1_INTEGER_free(number);
}

TEST_F(CrlTest, AnEmptyCrlIsValid) {
  auto crl = IssueCrl(ca_, {}, kNowMs, kNowMs + 7 * kDayMs, 1);
  ASSERT_TRUE(crl.ok()) << crl.status().ToString();
  EXPECT_EQ(VerifyWithCrl(Client("ncb-deu").cert_pem, ca_.cert_pem, *crl), X509_V_OK);
}

TEST_F(CrlTest, RefusesBadSerialsAndUnsafeUrls) {
  EXPECT_EQ(IssueCrl(ca_, {{"xyz", kNowMs}}, kNowMs, kNowMs + kDayMs, 1).status().reason(),
            "invalid_serial");
  CertRequest r;
  r.common_name = "ncb-ita";
  r.not_before_ms = kNowMs;
  r.not_after_ms = kNowMs + kDayMs;
  for (const char* url :
       {"ftp://x/crl", "https://x/crl,critical", "https://x/a b", "https://x/\ncrl"}) {
    r.crl_url = url;
    EXPECT_EQ(IssueCertificate(ca_, r).status().reason(), "invalid_crl_url") << url;
  }
  KeyAndCert other = ca_;
  other.key_pem = "not a key";
  EXPECT_EQ(IssueCrl(other, {}, kNowMs, kNowMs + kDayMs, 1).status().reason(), "invalid_ca");
}

}  // namespace
}  // namespace ncbnet::crypto
