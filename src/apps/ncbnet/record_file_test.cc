#include "apps/ncbnet/record_file.h"

#include <gtest/gtest.h>

namespace ncbnet::apps {
namespace {

using nlohmann::json;

const json kSchema = {{"code", "NOMINAL"},
                      {"fields",
                       {{{"name", "name"}, {"type", "text"}},
                        {{"name", "aliases"}, {"type", "text_list"}},
                        {{"name", "nationalities"}, {"type", "country_list"}},
                        {{"name", "identity_documents"}, {"type", "object_list"}},
                        {{"name", "year"}, {"type", "integer"}}}}};

TEST(ReadCsv, ReadsQuotesEscapesAndCellsSpanningLines) {
  Result<CsvTable> t = ReadCsv("\xEF\xBB\xBFname,aliases\r\n\"Doe, \"\"J\"\"\",\"a\nb\"\r\nx,y\n");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->header, (std::vector<std::string>{"name", "aliases"}));
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(t->rows[0].cells, (std::vector<std::string>{"Doe, \"J\"", "a\nb"}));
  EXPECT_EQ(t->rows[0].line, 2);
  EXPECT_EQ(t->rows[1].line, 4);
  EXPECT_TRUE(t->problems.empty());
}

TEST(ReadCsv, ReportsEveryMalformedRowByItsLine) {
  Result<CsvTable> t = ReadCsv("a,b\n1,2\n1\n\"x\"y,2\n\n3,4\n\"open,5\n");
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(t->rows[1].line, 6);
  ASSERT_EQ(t->problems.size(), 3u);
  EXPECT_EQ(t->problems[0].line, 3);
  EXPECT_EQ(t->problems[1].line, 4);
  EXPECT_EQ(t->problems[2].line, 7);
  for (const FileProblem& p : t->problems) EXPECT_EQ(p.code, "invalid_csv");
}

TEST(ReadCsv, RefusesAMissingOrRepeatedHeader) {
  EXPECT_EQ(ReadCsv("").status().reason(), "invalid_csv");
  EXPECT_EQ(ReadCsv("a,a\n1,2\n").status().reason(), "invalid_csv");
  EXPECT_EQ(ReadCsv("a,\n1,2\n").status().reason(), "invalid_csv");
}

TEST(CsvRecords, TypesCellsByTheirFieldAndReadsRecordColumns) {
  Result<CsvTable> t = ReadCsv(
      "name,aliases,nationalities,identity_documents,year,external_id,restrict,frontline\n"
      "Иван,A | B,RUS|UKR,\"[{\"\"number\"\":\"\"1\"\"}]\",1990,X-1,only:DEU,ESP,false\n");
  ASSERT_TRUE(t.ok());
  // The restrict cell holds a comma, so this row has one cell too many.
  ASSERT_EQ(t->problems.size(), 1u);
  t = ReadCsv(
      "name,aliases,nationalities,identity_documents,year,external_id,restrict,frontline\n"
      "Иван,A | B,RUS|UKR,\"[{\"\"number\"\":\"\"1\"\"}]\",1990,X-1,\"only:DEU,ESP\",false\n"
      "Jean,,,,19x0,,,\n");
  ASSERT_TRUE(t.ok());
  Result<ParsedFile> rows = CsvRecords(*t, kSchema);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->rows.size(), 2u);
  const json& r = rows->rows[0].value;
  EXPECT_EQ(r["fields"]["aliases"], json({"A", "B"}));
  EXPECT_EQ(r["fields"]["nationalities"], json({"RUS", "UKR"}));
  EXPECT_EQ(r["fields"]["identity_documents"][0]["number"], "1");
  EXPECT_EQ(r["fields"]["year"], 1990);
  EXPECT_EQ(r["external_id"], "X-1");
  EXPECT_EQ(r["restrictions"],
            json({{"visibility", "only"}, {"countries", {"DEU", "ESP"}}, {"frontline", false}}));
  // A cell that is not of its type goes as text, for the hub to refuse with its own code.
  EXPECT_EQ(rows->rows[1].value["fields"], json({{"name", "Jean"}, {"year", "19x0"}}));
}

TEST(CsvRecords, RefusesAnUnknownColumnAndBadRecordCells) {
  Result<CsvTable> t = ReadCsv("name,colour\nx,red\n");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(CsvRecords(*t, kSchema).status().reason(), "unknown_column");
  t = ReadCsv("name,frontline,restrict\nx,maybe,\ny,,sometimes\n");
  ASSERT_TRUE(t.ok());
  Result<ParsedFile> rows = CsvRecords(*t, kSchema);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->problems.size(), 2u);
  EXPECT_EQ(rows->problems[0].line, 2);
  EXPECT_EQ(rows->problems[1].line, 3);
}

TEST(JsonRecords, TakesInputsBareFieldsAndExportedRecords) {
  const ParsedFile lines = ReadJsonLines(
      "{\"fields\":{\"name\":\"a\"},\"external_id\":\"E\"}\n"
      "\n"
      "{\"name\":\"b\"}\n"
      "[1]\n"
      "{oops\n"
      "{\"id\":\"rec_x\",\"version\":3,\"owner\":\"ncb-fra\",\"fields\":{\"name\":\"c\"},"
      "\"action\":\"call\"}\n"
      "{\"id\":\"rec_y\",\"status\":\"cancelled\",\"fields\":{\"name\":\"d\"}}\n");
  ASSERT_EQ(lines.problems.size(), 2u);
  EXPECT_EQ(lines.problems[0].line, 4);
  EXPECT_EQ(lines.problems[1].line, 5);
  const ParsedFile records = JsonRecords(lines);
  ASSERT_EQ(records.rows.size(), 3u);
  EXPECT_EQ(records.rows[0].value, json({{"fields", {{"name", "a"}}}, {"external_id", "E"}}));
  EXPECT_EQ(records.rows[1].value, json({{"fields", {{"name", "b"}}}}));
  EXPECT_EQ(records.rows[1].line, 3);
  EXPECT_EQ(records.rows[2].value, json({{"fields", {{"name", "c"}}}, {"action", "call"}}));
}

TEST(FormatOf, ByFlagThenExtension) {
  EXPECT_EQ(*FormatOf("", "a.csv"), FileFormat::kCsv);
  EXPECT_EQ(*FormatOf("", "a.jsonl"), FileFormat::kJsonLines);
  EXPECT_EQ(*FormatOf("csv", "a.txt"), FileFormat::kCsv);
  EXPECT_EQ(FormatOf("", "a.txt").status().reason(), "invalid_format");
  EXPECT_EQ(FormatOf("xml", "a.csv").status().reason(), "invalid_format");
}

TEST(RestrictionsOf, ReadsTheFlagsForm) {
  EXPECT_EQ(*RestrictionsOf("", true), json({{"visibility", "all"}, {"frontline", true}}));
  EXPECT_EQ(*RestrictionsOf("except:ITA", false),
            json({{"visibility", "except"}, {"countries", {"ITA"}}, {"frontline", false}}));
  EXPECT_EQ(RestrictionsOf("some:ITA", true).status().reason(), "invalid_restrictions");
}

}  // namespace
}  // namespace ncbnet::apps
