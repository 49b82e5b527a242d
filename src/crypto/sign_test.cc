#include "crypto/sign.h"

#include <sys/stat.h>

#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "crypto/encoding.h"
#include "tests/testutil/temp_dir.h"

namespace ncbnet::crypto {
namespace {

std::string FromHex(std::string_view hex) {
  Result<std::string> bytes = HexDecode(hex);
  return bytes.ok() ? *bytes : std::string();
}

mode_t FileMode(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0);
  return st.st_mode & 0777;
}

void WriteFile(const std::string& path, const std::string& text, mode_t mode) {
  std::ofstream(path) << text;
  ASSERT_EQ(::chmod(path.c_str(), mode), 0);
}

// RFC 8032 section 7.1, TEST 1.
TEST(SigningKey, MatchesRfc8032Vector) {
  Result<SigningKey> key = SigningKey::FromSeed(
      FromHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(HexEncode(key->public_key()),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  EXPECT_EQ(HexEncode(key->Sign("")),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bac"
            "c61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
}

TEST(SigningKey, SignatureVerifiesOnlyForSameKeyAndMessage) {
  const SigningKey key = SigningKey::Generate();
  const SigningKey other = SigningKey::Generate();
  const std::string sig = key.Sign("message");
  ASSERT_EQ(sig.size(), 64U);
  EXPECT_TRUE(VerifySignature(key.public_key(), "message", sig));
  EXPECT_FALSE(VerifySignature(key.public_key(), "messagE", sig));
  EXPECT_FALSE(VerifySignature(other.public_key(), "message", sig));
  std::string tampered = sig;
  tampered[10] = static_cast<char>(tampered[10] ^ 0x01);
  EXPECT_FALSE(VerifySignature(key.public_key(), "message", tampered));
}

TEST(VerifySignature, RejectsWrongLengthsWithoutCrashing) {
  const SigningKey key = SigningKey::Generate();
  const std::string sig = key.Sign("m");
  EXPECT_FALSE(VerifySignature("", "m", sig));
  EXPECT_FALSE(VerifySignature(key.public_key().substr(0, 31), "m", sig));
  EXPECT_FALSE(VerifySignature(key.public_key(), "m", sig.substr(0, 63)));
  EXPECT_FALSE(VerifySignature(key.public_key(), "m", sig + "x"));
  EXPECT_FALSE(VerifySignature(key.public_key(), "m", ""));
}

TEST(SigningKey, FromSeedRejectsWrongLength) {
  for (const std::string& seed : {std::string(), std::string(31, 'a'), std::string(33, 'a')}) {
    Result<SigningKey> key = SigningKey::FromSeed(seed);
    ASSERT_FALSE(key.ok());
    EXPECT_EQ(key.status().reason(), "invalid_key");
  }
}

TEST(SigningKey, SavesWithMode0600AndLoadsSameKey) {
  const testutil::TempDir dir;
  const std::string path = dir.File("hub.key");
  const SigningKey key = SigningKey::Generate();
  ASSERT_TRUE(key.SaveFile(path).ok());
  EXPECT_EQ(FileMode(path), 0600U);
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.size(), 65U);
  EXPECT_EQ(text.back(), '\n');
  Result<SigningKey> loaded = SigningKey::LoadFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->public_key(), key.public_key());
  EXPECT_TRUE(VerifySignature(key.public_key(), "m", loaded->Sign("m")));
}

TEST(SigningKey, SaveRefusesToOverwrite) {
  const testutil::TempDir dir;
  const std::string path = dir.File("hub.key");
  ASSERT_TRUE(SigningKey::Generate().SaveFile(path).ok());
  const Status second = SigningKey::Generate().SaveFile(path);
  EXPECT_EQ(second.code(), StatusCode::kAlreadyExists);
}

TEST(SigningKey, LoadRefusesFileReadableByOthers) {
  const testutil::TempDir dir;
  const std::string path = dir.File("hub.key");
  ASSERT_TRUE(SigningKey::Generate().SaveFile(path).ok());
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  Result<SigningKey> loaded = SigningKey::LoadFile(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(loaded.status().reason(), "key_file_permissions");
}

TEST(SigningKey, LoadReportsMissingAndMalformedFiles) {
  const testutil::TempDir dir;
  EXPECT_EQ(SigningKey::LoadFile(dir.File("absent")).status().code(), StatusCode::kNotFound);
  const std::string good_hex(64, 'a');
  for (const std::string& text :
       {std::string(), good_hex, good_hex + "\n\n", good_hex.substr(1) + "g\n", good_hex + "aa\n",
        std::string(100000, 'a')}) {
    const std::string path = dir.File("bad.key");
    WriteFile(path, text, 0600);
    Result<SigningKey> loaded = SigningKey::LoadFile(path);
    ASSERT_FALSE(loaded.ok()) << text.size();
    EXPECT_EQ(loaded.status().reason(), "invalid_key_file");
  }
  WriteFile(dir.File("ok.key"), good_hex + "\n", 0600);
  EXPECT_TRUE(SigningKey::LoadFile(dir.File("ok.key")).ok());
}

}  // namespace
}  // namespace ncbnet::crypto
