#include "index/name_eval_pools.h"

#include <vector>

namespace ncbnet::index::eval::internal {
namespace {

// Latin-only spellings (Western European family-name parts).
std::vector<Spelling> Plain(std::initializer_list<const char*> words) {
  std::vector<Spelling> out;
  for (const char* w : words) out.push_back({w, {w}});
  return out;
}

Culture Russian() {
  Culture c{"russian", {}, {}, {}, {}, {}, {"RUS", "UKR", "BLR"}};
  c.patronymic = true;
  c.male = {{"Александр", {"Aleksandr", "Alexander", "Oleksandr", "Aleksander"}},
            {"Евгений", {"Yevgeniy", "Evgeniy", "Evgeny", "Yevgeny", "Evgeni"}},
            {"Дмитрий", {"Dmitriy", "Dmitry", "Dmitri"}},
            {"Сергей", {"Sergey", "Sergei", "Serguei"}},
            {"Андрей", {"Andrey", "Andrei"}},
            {"Алексей", {"Aleksey", "Alexei", "Alexey"}},
            {"Юрий", {"Yuriy", "Yuri", "Iouri"}},
            {"Михаил", {"Mikhail", "Michail", "Mihail"}},
            {"Николай", {"Nikolay", "Nikolai"}},
            {"Владимир", {"Vladimir", "Wladimir"}},
            {"Максим", {"Maksim", "Maxim"}},
            {"Павел", {"Pavel"}},
            {"Игорь", {"Igor"}},
            {"Олег", {"Oleg"}},
            {"Виктор", {"Viktor", "Victor"}},
            {"Григорий", {"Grigoriy", "Grigory", "Grigori"}},
            {"Вячеслав", {"Vyacheslav", "Viacheslav"}},
            {"Фёдор", {"Fedor", "Fyodor", "Feodor"}},
            {"Аркадий", {"Arkadiy", "Arkady"}},
            {"Тимофей", {"Timofey", "Timofei"}}};
  c.female = {{"Анна", {"Anna"}},
              {"Елена", {"Yelena", "Elena"}},
              {"Наталья", {"Natalya", "Natalia", "Nataliya"}},
              {"Ольга", {"Olga"}},
              {"Татьяна", {"Tatyana", "Tatiana"}},
              {"Юлия", {"Yuliya", "Yulia", "Julia"}},
              {"Екатерина", {"Yekaterina", "Ekaterina"}},
              {"Ксения", {"Kseniya", "Ksenia", "Xenia"}},
              {"Ирина", {"Irina"}},
              {"Светлана", {"Svetlana"}},
              {"Людмила", {"Lyudmila", "Ludmila"}},
              {"Валентина", {"Valentina"}},
              {"Дарья", {"Darya", "Daria"}},
              {"Евгения", {"Yevgeniya", "Evgenia"}}};
  c.syllables = {{"ба", {"ba"}},  {"во", {"vo"}},  {"гу", {"gu"}},   {"де", {"de"}},
                 {"жи", {"zhi"}}, {"за", {"za"}},  {"ки", {"ki"}},   {"ло", {"lo"}},
                 {"ма", {"ma"}},  {"но", {"no"}},  {"пе", {"pe"}},   {"ра", {"ra"}},
                 {"со", {"so"}},  {"ту", {"tu"}},  {"фе", {"fe"}},   {"ха", {"kha"}},
                 {"цы", {"tsy"}}, {"че", {"che"}}, {"ша", {"sha"}},  {"щу", {"shchu"}},
                 {"бе", {"be"}},  {"ви", {"vi"}},  {"ду", {"du"}},   {"ле", {"le"}},
                 {"ми", {"mi"}},  {"ны", {"ny"}},  {"ро", {"ro"}},   {"си", {"si"}},
                 {"ти", {"ti"}},  {"ку", {"ku"}},  {"гор", {"gor"}}, {"лан", {"lan"}}};
  c.suffixes = {{"ов", {"ov"}},     {"ев", {"ev"}},     {"ин", {"in"}},
                {"ский", {"skiy"}}, {"енко", {"enko"}}, {"ук", {"uk"}}};
  return c;
}

Culture Arabic() {
  Culture c{"arabic", {}, {}, {}, {}, {}, {"EGY", "SAU", "JOR", "IRQ", "SYR", "MAR", "LBN"}};
  c.father_name = true;
  c.male = {{"محمد", {"Mohammed", "Muhammad", "Mohamed", "Mohammad", "Muhammed"}},
            {"أحمد", {"Ahmed", "Ahmad"}},
            {"علي", {"Ali"}},
            {"حسن", {"Hassan", "Hasan"}},
            {"حسين", {"Hussein", "Hussain", "Husayn"}},
            {"خالد", {"Khaled", "Khalid"}},
            {"عمر", {"Omar", "Umar"}},
            {"يوسف", {"Youssef", "Yusuf", "Yousef"}},
            {"إبراهيم", {"Ibrahim", "Ebrahim"}},
            {"عبد الله", {"Abdullah", "Abdallah", "Abdulla"}},
            {"مصطفى", {"Mustafa", "Moustafa", "Mostafa"}},
            {"سعيد", {"Said", "Saeed"}},
            {"كريم", {"Karim", "Kareem"}},
            {"طارق", {"Tariq", "Tarek"}},
            {"سامي", {"Sami", "Samy"}},
            {"جمال", {"Jamal", "Gamal"}},
            {"وليد", {"Walid", "Waleed"}},
            {"ماجد", {"Majed", "Majid"}},
            {"نبيل", {"Nabil", "Nabeel"}},
            {"رامي", {"Rami", "Ramy"}},
            {"فيصل", {"Faisal", "Faysal"}},
            {"زياد", {"Ziad", "Ziyad"}},
            {"باسم", {"Bassem", "Basim"}},
            {"هشام", {"Hisham", "Hicham"}},
            {"عادل", {"Adel", "Adil"}}};
  c.female = {{"فاطمة", {"Fatima", "Fatma", "Fatimah"}},
              {"عائشة", {"Aisha", "Aicha", "Ayesha"}},
              {"مريم", {"Maryam", "Mariam"}},
              {"زينب", {"Zainab", "Zeinab"}},
              {"نور", {"Nour", "Noor"}},
              {"ليلى", {"Layla", "Leila"}},
              {"سارة", {"Sara", "Sarah"}},
              {"هدى", {"Huda", "Houda"}},
              {"رانيا", {"Rania", "Ranya"}},
              {"سلمى", {"Salma"}}};
  c.family = {{"الحداد", {"al-Haddad", "Haddad", "El Haddad"}},
              {"المصري", {"al-Masri", "El Masry", "Masri"}},
              {"خوري", {"Khoury", "Khouri", "Khuri"}},
              {"ناصر", {"Nasser", "Nasir", "Naser"}},
              {"منصور", {"Mansour", "Mansur"}},
              {"صالح", {"Saleh", "Salih"}},
              {"حمدان", {"Hamdan"}},
              {"قاسم", {"Qasim", "Kassem", "Qassem"}},
              {"الشامي", {"al-Shami", "Shami"}},
              {"عثمان", {"Othman", "Osman", "Uthman"}},
              {"الخطيب", {"al-Khatib", "El Khatib"}},
              {"سليمان", {"Suleiman", "Sulayman", "Soliman"}},
              {"الزين", {"al-Zein", "Zein"}},
              {"جابر", {"Jaber", "Jabir"}},
              {"عواد", {"Awad", "Awwad"}},
              {"الراشد", {"al-Rashid", "Rashed"}},
              {"العمري", {"al-Omari", "Omari"}},
              {"الحسيني", {"al-Husseini", "Husseini"}},
              {"درويش", {"Darwish", "Darwich"}},
              {"عيسى", {"Issa", "Eissa"}},
              {"موسى", {"Mousa", "Musa", "Moussa"}},
              {"الفارس", {"al-Fares", "Fares"}},
              {"البدوي", {"al-Badawi", "Badawi"}},
              {"العطار", {"al-Attar", "Attar"}},
              {"السيد", {"al-Sayed", "El Sayed", "Sayyid"}},
              {"الطيب", {"al-Tayeb", "Tayeb"}},
              {"النجار", {"al-Najjar", "Najjar"}},
              {"الحلبي", {"al-Halabi", "Halabi"}},
              {"القاضي", {"al-Qadi", "Kadi"}},
              {"الساعدي", {"al-Saadi", "Saadi"}}};
  return c;
}

Culture Chinese() {
  Culture c{"chinese", {}, {}, {}, {}, {}, {"CHN", "TWN", "SGP"}};
  c.family_first = true;
  c.family = {{"张", {"Zhang", "Chang"}}, {"王", {"Wang", "Wong"}}, {"李", {"Li", "Lee"}},
              {"刘", {"Liu", "Lau"}},     {"陈", {"Chen", "Chan"}}, {"杨", {"Yang", "Yeung"}},
              {"黄", {"Huang", "Hwang"}}, {"赵", {"Zhao", "Chao"}}, {"吴", {"Wu", "Woo"}},
              {"周", {"Zhou", "Chou"}},   {"徐", {"Xu", "Hsu"}},    {"孙", {"Sun", "Suen"}},
              {"马", {"Ma", "Mah"}},      {"朱", {"Zhu", "Chu"}},   {"胡", {"Hu", "Hoo"}},
              {"郭", {"Guo", "Kuo"}},     {"何", {"He", "Ho"}},     {"林", {"Lin", "Lam"}},
              {"高", {"Gao", "Kao"}},     {"罗", {"Luo", "Lo"}},    {"郑", {"Zheng", "Cheng"}},
              {"梁", {"Liang", "Leung"}}, {"谢", {"Xie", "Hsieh"}}, {"宋", {"Song", "Sung"}}};
  // Given-name characters; two-character given names are written as one word.
  c.syllables = {
      {"伟", {"wei"}},  {"芳", {"fang"}},  {"娜", {"na"}},   {"敏", {"min"}},  {"静", {"jing"}},
      {"丽", {"li"}},   {"强", {"qiang"}}, {"磊", {"lei"}},  {"军", {"jun"}},  {"洋", {"yang"}},
      {"勇", {"yong"}}, {"艳", {"yan"}},   {"杰", {"jie"}},  {"涛", {"tao"}},  {"明", {"ming"}},
      {"超", {"chao"}}, {"秀", {"xiu"}},   {"霞", {"xia"}},  {"平", {"ping"}}, {"刚", {"gang"}},
      {"华", {"hua"}},  {"小", {"xiao"}},  {"建", {"jian"}}, {"国", {"guo"}},  {"志", {"zhi"}},
      {"海", {"hai"}},  {"红", {"hong"}},  {"文", {"wen"}},  {"飞", {"fei"}},  {"鹏", {"peng"}},
      {"辉", {"hui"}},  {"波", {"bo"}},    {"宁", {"ning"}}, {"东", {"dong"}}, {"春", {"chun"}},
      {"雪", {"xue"}},  {"龙", {"long"}},  {"婷", {"ting"}}, {"斌", {"bin"}},  {"凯", {"kai"}}};
  return c;
}

Culture Greek() {
  Culture c{"greek", {}, {}, {}, {}, {}, {"GRC", "CYP"}};
  c.male = {{"Γεώργιος", {"Georgios", "Giorgos", "Yiorgos"}},
            {"Δημήτριος", {"Dimitrios", "Demetrios", "Dimitrius"}},
            {"Κωνσταντίνος", {"Konstantinos", "Constantinos"}},
            {"Νικόλαος", {"Nikolaos", "Nicolaos"}},
            {"Ιωάννης", {"Ioannis", "Ioanis"}},
            {"Παναγιώτης", {"Panagiotis", "Panayiotis"}},
            {"Χρήστος", {"Christos", "Hristos", "Xristos"}},
            {"Βασίλειος", {"Vasileios", "Vasilios", "Vassilios"}},
            {"Αθανάσιος", {"Athanasios", "Athanassios"}},
            {"Μιχαήλ", {"Michail", "Mikhail", "Michail"}},
            {"Σπυρίδων", {"Spyridon", "Spiridon"}},
            {"Ευάγγελος", {"Evangelos", "Evaggelos"}}};
  c.female = {{"Μαρία", {"Maria"}},
              {"Ελένη", {"Eleni", "Heleni"}},
              {"Αικατερίνη", {"Aikaterini", "Ekaterini"}},
              {"Σοφία", {"Sofia", "Sophia"}},
              {"Αναστασία", {"Anastasia", "Anastassia"}},
              {"Δέσποινα", {"Despoina", "Despina"}},
              {"Χριστίνα", {"Christina", "Hristina"}},
              {"Ευαγγελία", {"Evangelia", "Evaggelia"}}};
  c.syllables = {{"πα", {"pa"}},  {"κα", {"ka"}},   {"λα", {"la"}},   {"μα", {"ma"}},
                 {"νι", {"ni"}},  {"ρα", {"ra"}},   {"σα", {"sa"}},   {"τα", {"ta"}},
                 {"δη", {"di"}},  {"βα", {"va"}},   {"γε", {"ge"}},   {"ζα", {"za"}},
                 {"θε", {"the"}}, {"κο", {"ko"}},   {"λι", {"li"}},   {"μι", {"mi"}},
                 {"πο", {"po"}},  {"ρο", {"ro"}},   {"στα", {"sta"}}, {"χα", {"cha"}},
                 {"φι", {"fi"}},  {"τζα", {"tza"}}, {"ξε", {"xe"}},   {"ψα", {"psa"}}};
  c.suffixes = {{"πουλος", {"poulos"}}, {"ίδης", {"idis"}},   {"άκης", {"akis"}},
                {"άτος", {"atos"}},     {"όγλου", {"oglou"}}, {"ίου", {"iou"}}};
  return c;
}

Culture Western() {
  Culture c{"western", {}, {}, {}, {}, {}, {"FRA", "DEU", "ESP", "ITA", "POL", "GBR", "NLD"}};
  c.has_script = false;
  c.male = {{"", {"Philippe", "Philip", "Filip", "Phillip"}},
            {"", {"Jürgen", "Juergen", "Jurgen"}},
            {"", {"François", "Francois"}},
            {"", {"José", "Jose"}},
            {"", {"Michael", "Michal", "Mikael"}},
            {"", {"Jan", "Jann"}},
            {"", {"Thomas", "Tomas", "Tomasz"}},
            {"", {"Peter", "Pieter"}},
            {"", {"Stefan", "Stephan", "Steffen"}},
            {"", {"Marco", "Marko"}},
            {"", {"Christoph", "Kristoph", "Christof"}},
            {"", {"Jean", "Jehan"}},
            {"", {"Antonio", "Antonius"}},
            {"", {"Luca", "Luka"}},
            {"", {"Henrik", "Hendrik", "Henryk"}},
            {"", {"Matthias", "Mathias", "Mattias"}},
            {"", {"Andreas", "Andres"}},
            {"", {"Nicolas", "Nikolas", "Niklas"}}};
  c.female = {{"", {"Katharina", "Katarina", "Catharina"}},
              {"", {"Sophie", "Sofie"}},
              {"", {"Anne", "Ann", "Anna"}},
              {"", {"Marie", "Mari"}},
              {"", {"Isabelle", "Isabel", "Izabela"}},
              {"", {"Claire", "Clare", "Klara"}},
              {"", {"Agnieszka", "Agnieska"}},
              {"", {"Francesca", "Franziska"}},
              {"", {"Julia", "Yulia"}},
              {"", {"Elisabeth", "Elizabeth"}}};
  c.syllables = Plain({"ber", "hof", "kel", "mar", "wal", "rich", "lan", "fisch", "dub", "mor",
                       "ros", "bel", "gar", "fer", "lop", "nov",  "kow", "wis",   "jan", "schu",
                       "van", "del", "bru", "ma",  "ri",  "to",   "ste", "pa"});
  c.suffixes = Plain({"mann", "er",   "ner",   "ois", "eau", "ini", "elli", "ez", "ski", "sen",
                      "son",  "berg", "stein", "ard", "et",  "ino", "ieri", "ak", "ic",  "ens"});
  return c;
}

}  // namespace

const std::vector<Culture>& Cultures() {
  static const std::vector<Culture> kCultures = {Russian(), Arabic(), Chinese(), Greek(),
                                                 Western()};
  return kCultures;
}

}  // namespace ncbnet::index::eval::internal
