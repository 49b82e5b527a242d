// The demo's FIREARMS, VESSELS, SAD, WOA and NOMINAL records (demo_records.h). Persons have
// names in their original script (Latin, Cyrillic, Arabic, Chinese) with Latin forms and
// aliases, as name search expects them; all are invented.
#include "apps/ncbnet/demo_draws.h"

namespace ncbnet::apps::demo {
namespace {

using nlohmann::json;

void AddFirearms(std::vector<DemoRecord>& out) {
  struct Gun {
    const char* make;
    const char* model;
    const char* calibre;
    const char* type;
    const char* serial_letters;  // the maker's serial shape: this many letters, then digits
    int letters, digits;
  };
  constexpr std::array<Gun, 8> kGuns = {{
      {"Glock", "G17", "9×19mm", "pistol", "ABCDEFGHKLMNPRSTUVWXYZ", 3, 3},
      {"Beretta", "92FS", "9×19mm", "pistol", "BCDEFHLMNPRSTZ", 2, 6},
      {"SIG Sauer", "P226", "9×19mm", "pistol", "ABUZ", 1, 6},
      {"Smith & Wesson", "Model 686", ".357 Magnum", "revolver", "BCDEFKN", 3, 4},
      {"Colt", "M4 Carbine", "5.56×45mm", "rifle", "LA", 2, 6},
      {"Heckler & Koch", "MP5", "9×19mm", "submachine_gun", "ABC", 1, 6},
      {"CZ", "75 B", "9×19mm", "pistol", "ABCDEFGHK", 1, 6},
      {"Kalashnikov", "AKM", "7.62×39mm", "rifle", "AB", 2, 6},
  }};
  constexpr std::array<const char*, 6> kOwners = {"ESP", "FRA", "DEU", "ITA", "SWE", "BEL"};
  Draws d(0x46495245);  // "FIRE"
  out.push_back({"FIREARMS", "ESP",
                 Input({{"serial", "BKZ417"},
                        {"make", "Glock"},
                        {"model", "G19"},
                        {"calibre", "9×19mm"},
                        {"firearm_type", "pistol"}},
                       "Seize the weapon; stolen from a Guardia Civil armoury in Ceuta. Inform "
                       "NCB Madrid.",
                       "ESP-FIRE-2025-0031")});
  for (int i = 0; i < 200; ++i) {
    const Gun& g = d.Pick(kGuns);
    const std::string owner = d.Pick(kOwners);
    out.push_back({"FIREARMS", owner,
                   Input({{"serial", d.From(g.serial_letters, g.letters) + d.Digits(g.digits)},
                          {"make", g.make},
                          {"model", g.model},
                          {"calibre", g.calibre},
                          {"firearm_type", g.type}},
                         "Seize the firearm and secure it for ballistic comparison.",
                         owner + "-FIRE-" + std::to_string(3000 + i))});
  }
}

// An IMO number: six digits and the last digit of their sum weighted 7..2 (SOLAS XI-1/3).
std::string Imo(Draws& d) {
  std::string n = "9" + d.Digits(5);
  int sum = 0;
  for (int i = 0; i < 6; ++i) sum += (n[static_cast<std::size_t>(i)] - '0') * (7 - i);
  return "IMO " + n + static_cast<char>('0' + sum % 10);
}

void AddVessels(std::vector<DemoRecord>& out) {
  constexpr std::array<const char*, 10> kNames = {
      "Ocean Meridian", "Baltic Star",   "Sea Falcon",  "Marina Bella",  "Nordic Breeze",
      "Atlantic Dawn",  "Golden Harbor", "Aegean Wind", "Cape Serenity", "Blue Horizon"};
  constexpr std::array<const char*, 7> kFlags = {"PAN", "LBR", "MHL", "MLT", "BHS", "GRC", "CYP"};
  constexpr std::array<const char*, 4> kOwners = {"ITA", "GRC", "ESP", "NLD"};
  Draws d(0x56455353);  // "VESS"
  out.push_back({"VESSELS", "ITA",
                 Input({{"imo", "IMO 9074729"}, {"name", "Marina Bella"}, {"flag", "PAN"}},
                       "Suspected of carrying stolen vehicles from Genoa to West Africa; do not "
                       "board; inform NCB Rome of the next port of call.",
                       "ITA-VES-2026-0019")});
  for (int i = 0; i < 40; ++i) {
    const std::string owner = d.Pick(kOwners);
    out.push_back({"VESSELS", owner,
                   Input({{"imo", Imo(d)}, {"name", d.Pick(kNames)}, {"flag", d.Pick(kFlags)}},
                         "Suspected of carrying stolen vehicles in containers; inform the owner "
                         "NCB before boarding.",
                         owner + "-VES-" + std::to_string(500 + i))});
  }
}

void AddSad(std::vector<DemoRecord>& out) {
  struct Blank {
    const char* country;
    const char* type;
  };
  constexpr std::array<Blank, 6> kBlanks = {{{"FRA", "vehicle registration certificate"},
                                             {"DEU", "residence permit card"},
                                             {"ITA", "driving licence"},
                                             {"ESP", "vehicle registration certificate"},
                                             {"POL", "identity card blank"},
                                             {"BEL", "driving licence"}}};
  Draws d(0x534144);  // "SAD"
  out.push_back({"SAD", "FRA",
                 Input({{"issuing_country", "FRA"},
                        {"document_type", "vehicle registration certificate"},
                        {"series", "CR25"},
                        {"number_from", 400000},
                        {"number_to", 400999}},
                       "Blank stolen from a prefecture in Nanterre: any document of this range is "
                       "counterfeit. Seize it; inform NCB Paris.",
                       "FRA-SAD-2025-0007")});
  for (int i = 0; i < 60; ++i) {
    const Blank& b = d.Pick(kBlanks);
    const std::int64_t from = 1000LL * (100 + d.Below(900));
    out.push_back({"SAD", b.country,
                   Input({{"issuing_country", b.country},
                          {"document_type", b.type},
                          {"series", d.Letters(2) + d.Digits(2)},
                          {"number_from", from},
                          {"number_to", from + 249 + std::int64_t{250} * d.Below(4)}},
                         "Any document of this range is counterfeit; seize it.",
                         std::string(b.country) + "-SAD-" + std::to_string(100 + i))});
  }
}

void AddWoa(std::vector<DemoRecord>& out) {
  struct Work {
    const char* owner;
    const char* title;
    const char* artist;
    const char* type;
    const char* dimensions;
    const char* description;
  };
  constexpr std::array<Work, 6> kWorks = {{
      {"ITA", "Madonna col Bambino", "Unknown, Sienese school (14th c.)", "painting", "62 × 41 cm",
       "Tempera and gold leaf on poplar panel; stolen from a parish church."},
      {"FRA", "Paysage de l'Oise", "After Charles-François Daubigny", "painting", "38 × 55 cm",
       "Oil on canvas, gilt frame; stolen from a private collection in Senlis."},
      {"GRC", "Funerary stele of a young woman", "Unknown (Attic, 4th c. BC)", "sculpture",
       "92 × 48 × 12 cm", "Marble relief, lower left corner broken; taken from a storeroom."},
      {"RUS", "Icon of Saint Nicholas", "Unknown (Novgorod, 16th c.)", "icon", "31 × 26 cm",
       "Egg tempera on wood, silver oklad missing."},
      {"ESP", "Libro de horas", "Unknown (Castile, c. 1480)", "manuscript", "18 × 12 cm",
       "Illuminated book of hours, 212 folios, red velvet binding."},
      {"DEU", "Bildnis eines Mannes", "Circle of Lucas Cranach the Elder", "painting", "51 × 36 cm",
       "Oil on beech panel; museum label on the back."},
  }};
  int i = 0;
  for (const Work& w : kWorks) {
    out.push_back({"WOA", w.owner,
                   Input({{"title", w.title},
                          {"artist", w.artist},
                          {"object_type", w.type},
                          {"dimensions", w.dimensions},
                          {"description", w.description}},
                         "Seize the object and inform the owner NCB; do not clean or restore it.",
                         std::string(w.owner) + "-WOA-" + std::to_string(++i))});
  }
}

// A person: names in their script with Latin forms, pieces for generated ones.
struct NamePart {
  const char* original;
  const char* latin;
};
struct Script {
  const char* nationality;
  const char* owner;  // the NCB that entered the person
  bool family_first;  // Chinese names: family name first, no space
  std::array<NamePart, 5> given;
  std::array<NamePart, 5> family;
};

constexpr std::array<Script, 4> kScripts = {{
    {"RUS",
     "DEU",
     false,
     {{{"Александр", "Aleksandr"},
       {"Дмитрий", "Dmitriy"},
       {"Евгений", "Yevgeny"},
       {"Сергей", "Sergey"},
       {"Ольга", "Olga"}}},
     {{{"Волков", "Volkov"},
       {"Кузнецов", "Kuznetsov"},
       {"Соколов", "Sokolov"},
       {"Попов", "Popov"},
       {"Лебедев", "Lebedev"}}}},
    {"EGY",
     "ITA",
     false,
     {{{"محمد", "Mohammed"},
       {"أحمد", "Ahmed"},
       {"يوسف", "Youssef"},
       {"عمر", "Omar"},
       {"خالد", "Khaled"}}},
     {{{"الحسن", "Al-Hassan"},
       {"عبد الله", "Abdullah"},
       {"المصري", "El-Masry"},
       {"إبراهيم", "Ibrahim"},
       {"سعيد", "Saeed"}}}},
    {"CHN",
     "FRA",
     true,
     {{{"伟", "Wei"}, {"强", "Qiang"}, {"磊", "Lei"}, {"军", "Jun"}, {"洋", "Yang"}}},
     {{{"张", "Zhang"}, {"王", "Wang"}, {"李", "Li"}, {"刘", "Liu"}, {"陈", "Chen"}}}},
    {"ESP",
     "ESP",
     false,
     {{{"José", "Jose"},
       {"María", "Maria"},
       {"Javier", "Javier"},
       {"Lucía", "Lucia"},
       {"Álvaro", "Alvaro"}}},
     {{{"García López", "Garcia Lopez"},
       {"Martínez Ruiz", "Martinez Ruiz"},
       {"Fernández Gil", "Fernandez Gil"},
       {"Sánchez Mora", "Sanchez Mora"},
       {"Romero Vidal", "Romero Vidal"}}}},
}};

json Person(const std::string& name, const std::string& latin,
            const std::vector<std::string>& aliases, const char* sex, const std::string& dob,
            const char* nationality, const std::string& doc_number, const char* charges) {
  json p = {{"name", name},
            {"sex", sex},
            {"date_of_birth", dob},
            {"nationalities", json::array({nationality})},
            {"identity_documents", json::array({json{{"number", doc_number},
                                                     {"issuing_country", nationality},
                                                     {"document_type", "passport"}}})},
            {"charges", json::array({charges})}};
  if (latin != name) p["name_latin"] = latin;
  if (!aliases.empty()) p["aliases"] = aliases;
  return p;
}

void AddNominal(std::vector<DemoRecord>& out) {
  json volkov = Person("Александр Сергеевич Волков", "Aleksandr Sergeevich Volkov",
                       {"Alexander Volkov", "Oleksandr Vovk"}, "M", "1984-07-12", "RUS",
                       "754213986", "armed robbery");
  volkov["notices"] = json::array({"A-4471/8-2026"});  // a Red Notice's control number
  out.push_back({"NOMINAL", "DEU",
                 Input(volkov,
                       "Wanted for arrest (case DEU/BKA/2026/7781). Possibly armed: do not "
                       "approach alone; inform NCB Wiesbaden at once.",
                       "DEU-NOM-2026-0044")});
  out.push_back(
      {"NOMINAL", "ITA",
       Input(Person("محمد عبد الله الحسن", "Mohammed Abdullah Al-Hassan",
                    {"Muhammad Hasan", "Mohamed Abdallah"}, "M", "1979", "EGY", "A28817734",
                    "trafficking in cultural property"),
             "Locate and report whereabouts to NCB Rome; do not arrest.", "ITA-NOM-2025-0310")});
  out.push_back({"NOMINAL", "FRA",
                 Input(Person("张伟", "Zhang Wei", {"Chang Wei", "David Zhang"}, "M", "1990-02",
                              "CHN", "E48213377", "fraud; money laundering"),
                       "Wanted for arrest by the investigating judge of Paris; inform NCB Paris.",
                       "FRA-NOM-2026-0102")});
  Draws d(0x4E4F4D);  // "NOM"
  for (int i = 0; i < 240; ++i) {
    const Script& s = d.Pick(kScripts);
    const NamePart& g = d.Pick(s.given);
    const NamePart& f = d.Pick(s.family);
    const std::string name = s.family_first ? std::string(f.original) + g.original
                                            : std::string(g.original) + " " + f.original;
    const std::string latin = s.family_first ? std::string(f.latin) + " " + g.latin
                                             : std::string(g.latin) + " " + f.latin;
    const char* sex = std::string_view(g.latin) == "Olga" || std::string_view(g.latin) == "Maria" ||
                              std::string_view(g.latin) == "Lucia"
                          ? "F"
                          : "M";
    DemoRecord r{
        "NOMINAL", s.owner,
        Input(Person(name, latin, {}, sex, d.Date(1960, 40), s.nationality,
                     d.Letters(1) + d.Digits(8), d.Below(2) == 0 ? "theft" : "drug trafficking"),
              "Report the person's whereabouts to the owner NCB.",
              std::string(s.owner) + "-NOM-" + std::to_string(1000 + i))};
    if (i % 11 == 4) r.input.restrictions = Only({"AUT", "BEL", "DEU", "ESP", "FRA", "ITA"}, false);
    out.push_back(std::move(r));
  }
}

}  // namespace

void AddOtherRecords(std::vector<DemoRecord>& out) {
  AddFirearms(out);
  AddVessels(out);
  AddSad(out);
  AddWoa(out);
  AddNominal(out);
}

}  // namespace ncbnet::apps::demo
