#include "crypto/x509.h"

#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace ncbnet::crypto {
namespace {

constexpr std::int64_t kNowMs = 1'790'000'000'000;
constexpr std::int64_t kDayMs = 86'400'000;

struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
struct StoreFree {
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
};
struct StoreCtxFree {
  void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

X509Ptr ToX509(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

// Runs OpenSSL's own chain verification at `at_ms`; returns X509_V_OK or the error code.
int Verify(const X509Ptr& cert, const std::string& ca_pem, std::int64_t at_ms,
           int purpose = X509_PURPOSE_ANY) {
  const X509Ptr ca = ToX509(ca_pem);
  const std::unique_ptr<X509_STORE, StoreFree> store(X509_STORE_new());
  const std::unique_ptr<X509_STORE_CTX, StoreCtxFree> ctx(X509_STORE_CTX_new());
  if (!ca || !cert || !store || !ctx || X509_STORE_add_cert(store.get(), ca.get()) != 1 ||
      X509_STORE_CTX_init(ctx.get(), store.get(), cert.get(), nullptr) != 1) {
    return -1;
  }
  X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx.get()), at_ms / 1000);
  if (purpose != X509_PURPOSE_ANY) X509_STORE_CTX_set_purpose(ctx.get(), purpose);
  if (X509_verify_cert(ctx.get()) == 1) return X509_V_OK;
  return X509_STORE_CTX_get_error(ctx.get());
}

class X509Test : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<KeyAndCert> ca =
        CreateCertificateAuthority("ncbnet test CA", kNowMs - 30 * kDayMs, kNowMs + 365 * kDayMs);
    ASSERT_TRUE(ca.ok()) << ca.status().ToString();
    ca_ = *ca;
  }

  KeyAndCert Issue(const CertRequest& request) {
    Result<KeyAndCert> cert = IssueCertificate(ca_, request);
    EXPECT_TRUE(cert.ok()) << cert.status().ToString();
    return cert.ok() ? *cert : KeyAndCert{};
  }

  static CertRequest Client(const std::string& cn = "agc_test") {
    CertRequest r;
    r.common_name = cn;
    r.not_before_ms = kNowMs - 1000;
    r.not_after_ms = kNowMs + 30 * kDayMs;
    return r;
  }

  KeyAndCert ca_;
};

TEST_F(X509Test, CaIsSelfSignedV3CaWithPkcs8Key) {
  const X509Ptr ca = ToX509(ca_.cert_pem);
  ASSERT_TRUE(ca);
  EXPECT_EQ(X509_get_version(ca.get()), X509_VERSION_3);
  EXPECT_EQ(X509_check_ca(ca.get()), 1);
  EXPECT_EQ(X509_get_key_usage(ca.get()) & (KU_KEY_CERT_SIGN | KU_CRL_SIGN),
            static_cast<std::uint32_t>(KU_KEY_CERT_SIGN | KU_CRL_SIGN));
  EXPECT_NE(X509_get0_subject_key_id(ca.get()), nullptr);
  EXPECT_EQ(Verify(ca, ca_.cert_pem, kNowMs), X509_V_OK);
  EXPECT_EQ(ca_.key_pem.rfind("-----BEGIN PRIVATE KEY-----\n", 0), 0U);

  Result<CertInfo> info = ParseCertificate(ca_.cert_pem);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->common_name, "ncbnet test CA");
  EXPECT_EQ(info->issuer_common_name, "ncbnet test CA");
  EXPECT_EQ(info->not_before_ms, kNowMs - 30 * kDayMs);
  EXPECT_EQ(info->not_after_ms, kNowMs + 365 * kDayMs);
}

TEST_F(X509Test, ClientCertVerifiesAgainstItsCaOnly) {
  const KeyAndCert client = Issue(Client());
  const X509Ptr cert = ToX509(client.cert_pem);
  ASSERT_TRUE(cert);
  EXPECT_EQ(Verify(cert, ca_.cert_pem, kNowMs, X509_PURPOSE_SSL_CLIENT), X509_V_OK);
  EXPECT_NE(Verify(cert, ca_.cert_pem, kNowMs, X509_PURPOSE_SSL_SERVER), X509_V_OK);
  EXPECT_EQ(X509_check_ca(cert.get()), 0);
  EXPECT_NE(X509_get_extended_key_usage(cert.get()) & XKU_SSL_CLIENT, 0U);

  Result<KeyAndCert> other =
      CreateCertificateAuthority("other CA", kNowMs - kDayMs, kNowMs + kDayMs);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(Verify(cert, other->cert_pem, kNowMs), X509_V_OK);
}

// A serial is written without leading zeros whatever its random bytes (1 in 16 start with a
// zero nibble), so the serial recorded at issue equals the one the TLS layer reads.
TEST_F(X509Test, SerialsNeverStartWithZero) {
  for (int i = 0; i < 100; ++i) {
    Result<CertInfo> info = ParseCertificate(Issue(Client()).cert_pem);
    ASSERT_TRUE(info.ok());
    ASSERT_FALSE(info->serial_hex.empty());
    ASSERT_NE(info->serial_hex[0], '0') << info->serial_hex;
  }
}

TEST_F(X509Test, IssuedCertCarriesRequestedNamesAndMatchingKey) {
  const KeyAndCert client = Issue(Client("agc_01hx"));
  Result<CertInfo> info = ParseCertificate(client.cert_pem);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->common_name, "agc_01hx");
  EXPECT_EQ(info->issuer_common_name, "ncbnet test CA");
  EXPECT_EQ(info->not_before_ms, kNowMs - 1000);
  EXPECT_EQ(info->not_after_ms, kNowMs + 30 * kDayMs);
  EXPECT_FALSE(info->serial_hex.empty());
  EXPECT_LE(info->serial_hex.size(), 32U);
  EXPECT_NE(info->serial_hex[0], '0');
  EXPECT_EQ(info->serial_hex.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(info->serial_hex, ParseCertificate(Issue(Client()).cert_pem)->serial_hex);

  const X509Ptr cert = ToX509(client.cert_pem);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(client.key_pem.data(), static_cast<int>(client.key_pem.size())), &BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
  ASSERT_TRUE(cert && key);
  EXPECT_EQ(X509_check_private_key(cert.get(), key.get()), 1);
}

TEST_F(X509Test, ServerCertHasSubjectAltNamesAndServerAuth) {
  CertRequest request = Client("hub");
  request.server = true;
  request.dns_names = {"hub.ncbnet.example", "localhost"};
  request.ip_addresses = {"127.0.0.1", "::1"};
  const X509Ptr cert = ToX509(Issue(request).cert_pem);
  ASSERT_TRUE(cert);
  EXPECT_EQ(Verify(cert, ca_.cert_pem, kNowMs, X509_PURPOSE_SSL_SERVER), X509_V_OK);
  EXPECT_EQ(X509_check_host(cert.get(), "hub.ncbnet.example", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_host(cert.get(), "localhost", 0, 0, nullptr), 1);
  EXPECT_NE(X509_check_host(cert.get(), "evil.example", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(cert.get(), "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(cert.get(), "::1", 0), 1);
  EXPECT_NE(X509_check_ip_asc(cert.get(), "10.0.0.1", 0), 1);
}

TEST_F(X509Test, ExpiredCertParsesButFailsVerification) {
  CertRequest request = Client();
  request.not_before_ms = kNowMs - 10 * kDayMs;
  request.not_after_ms = kNowMs - kDayMs;
  const KeyAndCert expired = Issue(request);
  Result<CertInfo> info = ParseCertificate(expired.cert_pem);
  ASSERT_TRUE(info.ok());
  EXPECT_LT(info->not_after_ms, kNowMs);
  EXPECT_EQ(Verify(ToX509(expired.cert_pem), ca_.cert_pem, kNowMs), X509_V_ERR_CERT_HAS_EXPIRED);
  EXPECT_EQ(Verify(ToX509(expired.cert_pem), ca_.cert_pem, kNowMs - 5 * kDayMs), X509_V_OK);
}

TEST_F(X509Test, TamperedSignatureFailsVerification) {
  const X509Ptr cert = ToX509(Issue(Client()).cert_pem);
  ASSERT_TRUE(cert);
  unsigned char* der = nullptr;
  const int len = i2d_X509(cert.get(), &der);
  ASSERT_GT(len, 0);
  der[len - 5] ^= 0x01;  // inside the ECDSA signature value, the certificate's last field
  const unsigned char* p = der;
  const X509Ptr tampered(d2i_X509(nullptr, &p, len));
  OPENSSL_free(der);
  ASSERT_TRUE(tampered);
  EXPECT_EQ(Verify(tampered, ca_.cert_pem, kNowMs), X509_V_ERR_CERT_SIGNATURE_FAILURE);
}

TEST_F(X509Test, RejectsBadCa) {
  Result<KeyAndCert> other = CreateCertificateAuthority("other", kNowMs, kNowMs + kDayMs);
  ASSERT_TRUE(other.ok());
  const KeyAndCert leaf = Issue(Client());
  for (const KeyAndCert& bad_ca :
       {KeyAndCert{}, KeyAndCert{"garbage", "garbage"}, KeyAndCert{ca_.cert_pem, other->key_pem},
        KeyAndCert{ca_.cert_pem, ""}, leaf}) {
    Result<KeyAndCert> cert = IssueCertificate(bad_ca, Client());
    ASSERT_FALSE(cert.ok());
    EXPECT_EQ(cert.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(cert.status().reason(), "invalid_ca");
  }
}

TEST_F(X509Test, RejectsBadRequests) {
  CertRequest empty_cn = Client("");
  CertRequest long_cn = Client(std::string(65, 'a'));
  CertRequest backwards = Client();
  backwards.not_after_ms = backwards.not_before_ms - 1;
  CertRequest bad_ip = Client();
  bad_ip.server = true;
  bad_ip.ip_addresses = {"999.1.1.1"};
  CertRequest bad_dns = Client();
  bad_dns.server = true;
  bad_dns.dns_names = {""};
  for (const CertRequest& request : {empty_cn, long_cn, backwards, bad_ip, bad_dns}) {
    Result<KeyAndCert> cert = IssueCertificate(ca_, request);
    ASSERT_FALSE(cert.ok()) << request.common_name;
    EXPECT_EQ(cert.status().code(), StatusCode::kInvalidArgument);
  }
  EXPECT_TRUE(IssueCertificate(ca_, Client(std::string(64, 'a'))).ok());
}

TEST(ParseCertificate, RejectsGarbage) {
  for (const std::string& pem :
       {std::string(), std::string("hello"),
        std::string("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")}) {
    Result<CertInfo> info = ParseCertificate(pem);
    ASSERT_FALSE(info.ok());
    EXPECT_EQ(info.status().reason(), "invalid_certificate");
  }
}

}  // namespace
}  // namespace ncbnet::crypto
