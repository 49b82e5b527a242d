#include "store/postgres/pg_connection.h"

#include <charconv>
#include <cstdio>
#include <memory>

#include <libpq-fe.h>

#include "store/postgres/pg_sql.h"

namespace ncbnet::store::internal {
namespace {

// Type OIDs of pg_type.h (server headers are not needed for these stable numbers).
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

Value IntegerOrText(std::string_view text) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec == std::errc() && end == text.data() + text.size()) return Value(v);
  return Value(std::string(text));
}

Value RealOrText(std::string_view text) {
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec == std::errc() && end == text.data() + text.size()) return Value(v);
  return Value(std::string(text));
}

Value Unescaped(const char* text) {
  std::size_t length = 0;
  unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &length);
  if (bytes == nullptr) return Value(Blob{});
  Blob blob{std::string(reinterpret_cast<const char*>(bytes), length)};
  PQfreemem(bytes);
  return Value(std::move(blob));
}

Value ColumnValue(const PGresult* res, int row, int col) {
  if (PQgetisnull(res, row, col) != 0) return Value();
  const char* text = PQgetvalue(res, row, col);
  const std::string_view view(text, static_cast<std::size_t>(PQgetlength(res, row, col)));
  switch (PQftype(res, col)) {
    case kInt8Oid:
    case kInt4Oid:
    case kInt2Oid:
    case kOidOid:
      return IntegerOrText(view);
    case kBoolOid:
      return Value(static_cast<std::int64_t>(view == "t" ? 1 : 0));
    case kNumericOid:  // sum() of integers: whole numbers stay integers, as in SQLite
      return view.find_first_of(".eE") == std::string_view::npos ? IntegerOrText(view)
                                                                 : RealOrText(view);
    case kFloat4Oid:
    case kFloat8Oid:
      return RealOrText(view);
    case kByteaOid:
      return Unescaped(text);
    default:
      return Value(std::string(view));
  }
}

// The server's messages for these classes name objects (constraints, columns, tables), never
// the values bound to a statement; others (data exceptions: "invalid input syntax for type
// bigint: ...") may quote a value, and are reported by their code alone.
bool MessageIsSafe(std::string_view sqlstate) {
  const std::string_view cls = sqlstate.substr(0, 2);
  return cls == "08" || cls == "25" || cls == "40" || cls == "42" || cls == "53" || cls == "55" ||
         cls == "57" || cls == "23";
}

}  // namespace

void SilenceNotices(pg_conn* conn) {
  if (conn != nullptr)
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
}

Status StatusFromSqlstate(std::string_view sqlstate, std::string_view message) {
  std::string text = "postgresql " + std::string(sqlstate);
  if (MessageIsSafe(sqlstate) && !message.empty()) text += ": " + std::string(message);
  const std::string_view cls = sqlstate.substr(0, 2);
  if (sqlstate == "23505") return Status::AlreadyExists("constraint_violation", text);
  if (cls == "23") return Status::InvalidArgument("constraint_violation", text);
  if (sqlstate == "25006") return Status::FailedPrecondition("read_only_transaction", text);
  if (cls == "40" || sqlstate == "55P03") return Status::Unavailable("store_busy", text);
  if (sqlstate == "53100") return Status::Unavailable("store_full", text);
  if (sqlstate == "58030") return Status::Unavailable("store_io_error", text);
  if (cls == "08" || cls == "57" || cls == "53") {
    return Status::Unavailable("store_unavailable", text);
  }
  return Status::Internal("store_error", text);
}

Result<std::unique_ptr<PgConnection>> PgConnection::Open(const std::string& conninfo,
                                                         std::chrono::milliseconds lock_timeout) {
  // expand_dbname: the first "dbname" is the whole connection string; the keys after it fill
  // in what it does not say.
  const char* const keys[] = {"dbname", "application_name", "connect_timeout", nullptr};
  const char* const values[] = {conninfo.c_str(), "ncbnet", "10", nullptr};
  pg_conn* raw = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (raw == nullptr) return Status::Internal("store_error", "postgresql: out of memory");
  std::unique_ptr<PgConnection> conn(new PgConnection(raw));
  SilenceNotices(raw);
  if (PQstatus(raw) != CONNECTION_OK) {
    // libpq's message names the host and the failure, never the password.
    std::string why = PQerrorMessage(raw);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    return Status::Unavailable("store_unavailable", "postgresql: " + why);
  }
  const std::string setup = "SET lock_timeout = " + std::to_string(lock_timeout.count()) +
                            "; SET TIME ZONE 'UTC'; SET client_encoding = 'UTF8'";
  NCBNET_RETURN_IF_ERROR(conn->Control(setup.c_str()));
  return conn;
}

PgConnection::~PgConnection() { PQfinish(conn_); }

Status PgConnection::ErrorOf(PGresult* res) const {
  if (res == nullptr || PQstatus(conn_) != CONNECTION_OK) {
    std::string why = PQerrorMessage(conn_);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    return Status::Unavailable("store_unavailable", "postgresql: " + why);
  }
  const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
  const char* primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
  return StatusFromSqlstate(state != nullptr ? state : "XX000", primary != nullptr ? primary : "");
}

Status PgConnection::Control(const char* sql) {
  const ResultPtr res(PQexec(conn_, sql));
  const ExecStatusType st = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return Status::Ok();
  return ErrorOf(res.get());
}

bool PgConnection::InTransaction() const {
  const PGTransactionStatusType st = PQtransactionStatus(conn_);
  return st == PQTRANS_INTRANS || st == PQTRANS_INERROR;
}

bool PgConnection::TransactionFailed() const {
  return PQtransactionStatus(conn_) == PQTRANS_INERROR;
}

bool PgConnection::Healthy() const { return PQstatus(conn_) == CONNECTION_OK; }

Result<std::string> PgConnection::Prepare(std::string_view sql) {
  const std::string key(sql);
  if (auto it = prepared_.find(key); it != prepared_.end()) return it->second;
  const PostgresSql rewritten = ToPostgresSql(sql);
  std::string name = "s" + std::to_string(prepared_.size());
  const ResultPtr res(PQprepare(conn_, name.c_str(), rewritten.text.c_str(), 0, nullptr));
  if (!res || PQresultStatus(res.get()) != PGRES_COMMAND_OK) return ErrorOf(res.get());
  prepared_.emplace(key, name);
  return name;
}

Result<PGresult*> PgConnection::Run(std::string_view sql, const std::vector<Value>& params) {
  NCBNET_RETURN_IF_ERROR(CheckTextParams(params));
  NCBNET_ASSIGN_OR_RETURN(const std::string name, Prepare(sql));
  const std::size_t n = params.size();
  std::vector<std::string> texts(n);
  std::vector<const char*> values(n, nullptr);
  std::vector<int> lengths(n, 0);
  std::vector<int> formats(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const Value& v = params[i];
    if (v.is_null()) continue;
    if (v.is_int()) {
      texts[i] = std::to_string(v.AsInt());
    } else if (v.is_real()) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", v.AsReal());
      texts[i] = buf;
    } else {
      texts[i] = v.AsText();
      formats[i] = v.is_blob() ? 1 : 0;  // bytea in binary: the bytes as they are
    }
    values[i] = texts[i].data();
    lengths[i] = static_cast<int>(texts[i].size());
  }
  PGresult* res = PQexecPrepared(conn_, name.c_str(), static_cast<int>(n), values.data(),
                                 lengths.data(), formats.data(), /*resultFormat=*/0);
  const ExecStatusType st = res != nullptr ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return res;
  Status error = ErrorOf(res);
  PQclear(res);
  return error;
}

Result<std::int64_t> PgConnection::Exec(std::string_view sql, const std::vector<Value>& params) {
  NCBNET_ASSIGN_OR_RETURN(PGresult * raw, Run(sql, params));
  const ResultPtr res(raw);
  const std::string_view changed = PQcmdTuples(res.get());
  std::int64_t n = 0;
  std::from_chars(changed.data(), changed.data() + changed.size(), n);
  return n;
}

Result<std::vector<Row>> PgConnection::Query(std::string_view sql,
                                             const std::vector<Value>& params) {
  NCBNET_ASSIGN_OR_RETURN(PGresult * raw, Run(sql, params));
  const ResultPtr res(raw);
  const int rows = PQntuples(res.get());
  const int cols = PQnfields(res.get());
  std::vector<Row> out;
  out.reserve(static_cast<std::size_t>(rows));
  for (int r = 0; r < rows; ++r) {
    Row row;
    row.reserve(static_cast<std::size_t>(cols));
    for (int c = 0; c < cols; ++c) row.push_back(ColumnValue(res.get(), r, c));
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace ncbnet::store::internal
