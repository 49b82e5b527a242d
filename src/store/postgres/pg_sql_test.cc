#include "store/postgres/pg_sql.h"

#include <gtest/gtest.h>

namespace ncbnet::store::internal {
namespace {

TEST(ToPostgresSql, NumbersPlaceholdersInOrder) {
  const PostgresSql out = ToPostgresSql("SELECT a FROM t WHERE b = ? AND c IN (?, ?)");
  EXPECT_EQ(out.text, "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)");
  EXPECT_EQ(out.params, 3);
}

TEST(ToPostgresSql, LeavesLiteralsIdentifiersAndCommentsAlone) {
  const PostgresSql out =
      ToPostgresSql("SELECT '?', 'it''s ? INTEGER', \"INTEGER?\" FROM t -- INTEGER ?\nWHERE x = ?");
  EXPECT_EQ(out.text,
            "SELECT '?', 'it''s ? INTEGER', \"INTEGER?\" FROM t -- INTEGER ?\nWHERE x = $1");
  EXPECT_EQ(out.params, 1);
}

TEST(ToPostgresSql, MapsPortableTypesAsWholeWords) {
  EXPECT_EQ(ToPostgresSql("CREATE TABLE t (a INTEGER PRIMARY KEY, b BLOB, c REAL, d TEXT,"
                          " INTEGERS TEXT, e integer)")
                .text,
            "CREATE TABLE t (a BIGINT PRIMARY KEY, b BYTEA, c DOUBLE PRECISION, d TEXT,"
            " INTEGERS TEXT, e integer)");
  EXPECT_EQ(ToPostgresSql("SELECT CAST(value AS INTEGER) FROM meta").text,
            "SELECT CAST(value AS BIGINT) FROM meta");
}

TEST(ToPostgresSql, RewritesBlobLiterals) {
  EXPECT_EQ(ToPostgresSql("ALTER TABLE t ADD COLUMN k BLOB NOT NULL DEFAULT x''").text,
            "ALTER TABLE t ADD COLUMN k BYTEA NOT NULL DEFAULT '\\x'::bytea");
  EXPECT_EQ(ToPostgresSql("SELECT X'0aFF', max('x')").text, "SELECT '\\x0aFF'::bytea, max('x')");
}

TEST(ToPostgresSql, UnterminatedLiteralIsCopiedAsItIs) {
  // The server reports the error; the rewrite neither crashes nor numbers what follows.
  const PostgresSql out = ToPostgresSql("SELECT 'abc ? ");
  EXPECT_EQ(out.text, "SELECT 'abc ? ");
  EXPECT_EQ(out.params, 0);
}

}  // namespace
}  // namespace ncbnet::store::internal
