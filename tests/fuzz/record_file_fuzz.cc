// The files of `ncbnet records import` and `ncbnet check batch` (apps/ncbnet/record_file.h):
// any bytes may be in them. Every row read or refused keeps a line within the file.
#include <cstdint>
#include <string_view>

#include "apps/ncbnet/record_file.h"
#include "core/check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ncbnet::apps;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const int max_line = static_cast<int>(size) + 1;
  if (auto table = ReadCsv(text); table.ok()) {
    for (const CsvTable::Row& row : table->rows) {
      NCBNET_CHECK(row.line >= 2 && row.line <= max_line, "a row's line is in the file");
      NCBNET_CHECK(row.cells.size() == table->header.size(), "rows have the header's width");
    }
    static const nlohmann::json kSchema = {{"fields",
                                            {{{"name", "a"}, {"type", "integer"}},
                                             {{"name", "b"}, {"type", "text_list"}},
                                             {{"name", "c"}, {"type", "object_list"}}}}};
    (void)CsvRecords(*table, kSchema);
    (void)CsvItems(*table);
  }
  const ParsedFile lines = ReadJsonLines(text);
  for (const FileRow& row : JsonRecords(lines).rows) {
    NCBNET_CHECK(row.line >= 1 && row.line <= max_line, "a line is in the file");
    NCBNET_CHECK(row.value.contains("fields"), "every record input has fields");
  }
  return 0;
}
