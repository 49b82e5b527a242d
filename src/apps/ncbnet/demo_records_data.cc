// The demo's synthetic records (demo_records.h): a few showcase records that the demo banner
// checks, then generated ones. Numbers follow the shapes real documents have (a French passport
// is 2 digits, 2 letters, 5 digits; a Spanish DNI carries its check letter; North American VINs
// their check digit; IMO numbers theirs) so that checks look real, but all are invented.
#include <array>
#include <cstdint>

#include "apps/ncbnet/demo_draws.h"
#include "apps/ncbnet/demo_records.h"
#include "index/identifiers.h"

namespace ncbnet::apps {
namespace {

using demo::Draws;
using demo::Input;
using demo::Only;

using nlohmann::json;

// ---- SLTD -------------------------------------------------------------------------------------

struct DocCountry {
  const char* code;
  int weight;  // of 3,000
  std::array<const char*, 4> places;
  const char* ncb;  // for the action text
};

constexpr std::array<DocCountry, 10> kDocCountries = {{
    {"FRA", 500, {"Paris", "Lyon", "Marseille", "Lille"}, "NCB Paris"},
    {"DEU", 500, {"Berlin", "Hamburg", "Munich", "Frankfurt am Main"}, "NCB Wiesbaden"},
    {"ITA", 400, {"Rome", "Milan", "Naples", "Turin"}, "NCB Rome"},
    {"ESP", 350, {"Madrid", "Barcelona", "Valencia", "Seville"}, "NCB Madrid"},
    {"GBR", 350, {"London", "Manchester", "Birmingham", "Glasgow"}, "NCB Manchester"},
    {"USA", 300, {"New York", "Chicago", "Miami", "Los Angeles"}, "NCB Washington"},
    {"POL", 200, {"Warsaw", "Kraków", "Gdańsk", "Wrocław"}, "NCB Warsaw"},
    {"NLD", 150, {"Amsterdam", "Rotterdam", "The Hague", "Utrecht"}, "NCB The Hague"},
    {"UKR", 150, {"Kyiv", "Lviv", "Odesa", "Kharkiv"}, "NCB Kyiv"},
    {"MAR", 100, {"Rabat", "Casablanca", "Tangier", "Marrakesh"}, "NCB Rabat"},
}};

// A passport or identity card number in the issuing country's format.
std::string DocumentNumber(Draws& d, std::string_view country, bool id_card) {
  if (country == "FRA") return id_card ? d.Digits(12) : d.Digits(2) + d.Letters(2) + d.Digits(5);
  if (country == "DEU") {
    return d.From("CFGHJKLMNPRTVWXYZ", 1) + d.From("0123456789CFGHJKLMNPRTVWXYZ", 8);
  }
  if (country == "ITA") {
    return id_card ? "CA" + d.Digits(5) + d.Letters(2) : "Y" + d.Letters(1) + d.Digits(7);
  }
  if (country == "ESP") {
    if (!id_card) return "PA" + d.Letters(1) + d.Digits(6);
    const std::string n = d.Digits(8);  // DNI: 8 digits and the letter of n mod 23
    return n + "TRWAGMYFPDXBNJZSQVHLCKE"[std::stoul(n) % 23];
  }
  if (country == "GBR") return "5" + d.Digits(8);
  if (country == "USA") return d.Below(2) == 0 ? "A" + d.Digits(8) : "5" + d.Digits(8);
  if (country == "POL") return "E" + d.Letters(1) + d.Digits(7);
  if (country == "NLD") {
    return "N" + d.Letters(1) + d.From("ABCDEFGHJKLMNPRSTUVWXYZ0123456789", 6) + d.Digits(1);
  }
  if (country == "UKR") return "F" + d.Letters(1) + d.Digits(6);
  return d.Letters(2) + d.Digits(7);
}

void AddSltd(std::vector<DemoRecord>& out) {
  constexpr std::array<const char*, 20> kStatus = {
      "stolen", "stolen", "stolen", "stolen",  "stolen",      "stolen",      "stolen",
      "stolen", "stolen", "lost",   "lost",    "lost",        "lost",        "lost",
      "lost",   "lost",   "lost",   "revoked", "invalidated", "stolen_blank"};
  Draws d(0x534C5444);  // "SLTD"
  int serial = 0;
  for (const DocCountry& c : kDocCountries) {
    for (int i = 0; i < c.weight; ++i, ++serial) {
      const bool id_card = d.Below(4) == 0;
      const std::string status = d.Pick(kStatus);
      json f = {{"number", DocumentNumber(d, c.code, id_card)},
                {"issuing_country", c.code},
                {"document_type", id_card ? "identity_card" : "passport"},
                {"status", status},
                {"event_date", d.Date()},
                {"event_place", d.Pick(c.places)}};
      std::string action;
      if (status == "stolen" || status == "stolen_blank") {
        action =
            "Seize the document; the bearer is not its holder until proven otherwise. "
            "Inform " +
            std::string(c.ncb) + ".";
      } else if (d.Below(3) == 0) {
        action = "Seize the document and return it to " + std::string(c.ncb) + ".";
      }
      DemoRecord r{"SLTD", c.code,
                   Input(f, action, std::string(c.code) + "-SLTD-" + std::to_string(100000 + i))};
      if (serial % 37 == 5) r.input.restrictions = Only({"AUT", "BEL", "CHE", "DEU", "FRA", "ITA"});
      if (serial % 53 == 7) r.input.restrictions = {records::Visibility::kExcept, {"RUS"}, true};
      if (serial % 29 == 3) r.input.restrictions.frontline = false;
      out.push_back(std::move(r));
    }
  }
}

// ---- SMV --------------------------------------------------------------------------------------

struct Maker {
  const char* wmi;  // world manufacturer identifier
  const char* make;
  std::array<const char*, 3> models;
};

constexpr std::array<Maker, 10> kMakers = {{
    {"1HG", "Honda", {"Accord", "Civic", "CR-V"}},
    {"1FT", "Ford", {"F-150", "F-250", "Ranger"}},
    {"2T1", "Toyota", {"Corolla", "Matrix", "Corolla iM"}},
    {"5YJ", "Tesla", {"Model 3", "Model Y", "Model S"}},
    {"WVW", "Volkswagen", {"Golf", "Polo", "Passat"}},
    {"WBA", "BMW", {"320d", "520d", "X5"}},
    {"VF3", "Peugeot", {"308", "3008", "508"}},
    {"ZFA", "Fiat", {"500", "Panda", "Tipo"}},
    {"VSS", "SEAT", {"Leon", "Ibiza", "Ateca"}},
    {"WDD", "Mercedes-Benz", {"C 220", "E 300", "GLC"}},
}};

std::string Vin(Draws& d, const Maker& m) {
  const std::string_view alnum = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
  std::string vin = std::string(m.wmi) + d.From(alnum, 5) + "0" + d.From("GHJKLMNPR", 1) +
                    d.From(alnum, 1) + d.Digits(6);
  // North America (1-5): position 9 is the check digit (49 CFR 565.15).
  if (vin[0] >= '1' && vin[0] <= '5') vin[8] = index::VinCheckDigit(vin);
  return vin;
}

std::string Plate(Draws& d, std::string_view country) {
  if (country == "FRA") return d.Letters(2) + "-" + d.Digits(3) + "-" + d.Letters(2);
  if (country == "DEU") return d.From("BMKFSH", 1) + "-" + d.Letters(2) + " " + d.Digits(4);
  if (country == "ITA") return d.Letters(2) + " " + d.Digits(3) + d.Letters(2);
  if (country == "ESP") return d.Digits(4) + " " + d.From("BCDFGHJKLMNPRSTVWXYZ", 3);
  return d.Digits(1) + d.Letters(3) + d.Digits(3);  // USA, California style
}

void AddSmv(std::vector<DemoRecord>& out) {
  constexpr std::array<const char*, 5> kOwners = {"FRA", "DEU", "ITA", "ESP", "USA"};
  constexpr std::array<const char*, 6> kColours = {"black",  "white", "grey",
                                                   "silver", "blue",  "red"};
  Draws d(0x534D56);  // "SMV"
  for (int i = 0; i < 400; ++i) {
    const Maker& m = d.Pick(kMakers);
    const std::string owner = m.wmi[0] <= '5' && d.Below(3) != 0 ? "USA" : d.Pick(kOwners);
    json f = {{"vin", Vin(d, m)},           {"make", m.make},
              {"model", d.Pick(m.models)},  {"colour", d.Pick(kColours)},
              {"year", 2010 + d.Below(16)}, {"theft_date", d.Date(2021, 5)}};
    if (d.Below(4) != 0) {
      f["plate"] = Plate(d, owner);
      f["plate_country"] = owner;
    }
    out.push_back({"SMV", owner,
                   Input(f,
                         "Seize the vehicle and inform the owner NCB; check the driver's "
                         "documents.",
                         owner + "-SMV-" + std::to_string(20000 + i))});
  }
}

std::string DemoVin() {
  std::string vin = "1HGCV1F30PA027119";
  vin[8] = index::VinCheckDigit(vin);
  return vin;
}

}  // namespace

std::vector<DemoRecord> DemoRecords() {
  std::vector<DemoRecord> out;
  out.reserve(4200);
  // The showcase records the banner checks (DemoChecks()).
  out.push_back({"SLTD", "FRA",
                 Input({{"number", "21FV83104"},
                        {"issuing_country", "FRA"},
                        {"document_type", "passport"},
                        {"status", "stolen"},
                        {"event_date", "2026-03-02"},
                        {"event_place", "Strasbourg"}},
                       "Seize the document and hold the bearer for identification; contact NCB "
                       "Paris (24/7) quoting FRA/SLTD/2026/0187.",
                       "FRA-SLTD-2026-0187")});
  DemoRecord restricted{"SLTD", "DEU",
                        Input({{"number", "C7T4HWK29"},
                               {"issuing_country", "DEU"},
                               {"document_type", "passport"},
                               {"status", "stolen"},
                               {"event_date", "2026-02-17"},
                               {"event_place", "Frankfurt am Main"}},
                              "Do not alert the bearer; report the sighting to NCB Wiesbaden at "
                              "once (case DEU/BKA/2026/7781).",
                              "DEU-SLTD-2026-7781")};
  restricted.input.restrictions = Only({"AUT", "CHE", "DEU"}, /*frontline=*/false);
  out.push_back(std::move(restricted));
  const Maker accord = kMakers[0];
  out.push_back({"SMV", "USA",
                 Input({{"vin", DemoVin()},
                        {"plate", "8MKT527"},
                        {"plate_country", "USA"},
                        {"make", accord.make},
                        {"model", "Accord"},
                        {"colour", "black"},
                        {"year", 2023},
                        {"theft_date", "2026-01-09"},
                        {"theft_place", "San Diego, CA"}},
                       "Seize the vehicle; believed exported through a European port. Inform "
                       "NCB Washington.",
                       "USA-SMV-2026-00412")});
  AddSltd(out);
  AddSmv(out);
  demo::AddOtherRecords(out);
  return out;
}

std::vector<DemoCheck> DemoChecks() {
  return {
      {"document --number 21FV83104 --country FRA", "fra.border", "MATCH",
       "a French passport stolen in Strasbourg (NCB Paris)"},
      {"vin " + DemoVin(), "fra.border", "MATCH", "a Honda stolen in San Diego (NCB Washington)"},
      {"NOMINAL number=754213986 issuing_country=RUS", "fra.border", "MATCH",
       "a person by identity document: Александр Волков (NCB Wiesbaden)"},
      {"person 'Aleksandr Volkov'", "fra.border", "MATCH",
       "the same person by name, written in Latin: scores, hits told to the owner"},
      {"mrz --line 'P<RUSVOLKOV<<ALEKSANDR<SERGEEVICH<<<<<<<<<<<' "
       "--line '7542139861RUS8407122M3104150<<<<<<<<<<<<<<<4'",
       "fra.border", "MATCH",
       "the border check from his passport's MRZ: person, Red Notice, action, in one call"},
      {"mrz --line 'P<FRAMARTIN<<CLAIRE<<<<<<<<<<<<<<<<<<<<<<<<<' "
       "--line '21FV831047FRA9103052F3309173<<<<<<<<<<<<<<<8'",
       "fra.border", "MATCH", "the stolen French passport presented at a gate (SLTD)"},
      {"document --number C7T4HWK29 --country DEU", "fra.border", "no match",
       "restricted by NCB Wiesbaden to AUT, CHE, DEU: absent for France; as deu.admin: MATCH"},
  };
}

}  // namespace ncbnet::apps
