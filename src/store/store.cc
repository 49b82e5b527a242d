#include "store/store.h"

namespace ncbnet::store {

const std::string& Value::AsText() const {
  static const std::string* const kEmpty = new std::string();
  if (is_text()) return std::get<std::string>(v_);
  if (is_blob()) return std::get<Blob>(v_).bytes;
  return *kEmpty;
}

Result<std::optional<Row>> Transaction::QueryOne(std::string_view sql, Params params) {
  NCBNET_ASSIGN_OR_RETURN(std::vector<Row> rows, Query(sql, std::vector<Value>(params)));
  if (rows.empty()) return std::optional<Row>();
  return std::optional<Row>(std::move(rows.front()));
}

}  // namespace ncbnet::store
