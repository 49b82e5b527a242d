// The kinds of notices as data (notices/kinds.h explains the form; docs/notices.md lists them).
// "person_fields" are the identity particulars every kind with a person subject carries, named
// as in the NOTICES database so the subject's record is made from them; each kind lists its own
// further fields, and "required" names the fields (of either list) a submission must fill.
#include "notices/kinds_data.h"

namespace ncbnet::notices {

std::string_view BuiltinKindsJson() {
  return R"json({
"person_fields": [
  {"name": "name", "type": "text", "max_length": 200,
   "description": "full name in the original script"},
  {"name": "name_latin", "type": "text", "max_length": 200},
  {"name": "aliases", "type": "text_list", "max_length": 200, "max_items": 20},
  {"name": "sex", "type": "enum", "values": ["M", "F", "U"]},
  {"name": "date_of_birth", "type": "partial_date"},
  {"name": "place_of_birth", "type": "text", "max_length": 200},
  {"name": "nationalities", "type": "country_list", "max_items": 5},
  {"name": "identity_documents", "type": "object_list", "max_items": 10, "fields": [
    {"name": "number", "type": "text", "required": true, "max_length": 40},
    {"name": "issuing_country", "type": "country", "required": true},
    {"name": "document_type", "type": "text", "max_length": 40}]},
  {"name": "languages", "type": "text_list", "max_length": 64, "max_items": 10},
  {"name": "physical_description", "type": "text", "max_length": 2000}],
"kinds": [
{"kind": "red", "title": "Red Notice", "prefix": "A", "person": true,
 "instruction": "Wanted for prosecution or to serve a sentence: locate and provisionally arrest with a view to extradition; inform NCB {requesting_country} and the General Secretariat at once, quoting {control_number}.",
 "fields": [
  {"name": "facts", "type": "text", "max_length": 4000},
  {"name": "charges", "type": "text_list", "max_length": 200, "max_items": 20},
  {"name": "warrant_reference", "type": "text", "max_length": 100},
  {"name": "warrant_date", "type": "date"},
  {"name": "warrant_authority", "type": "text", "max_length": 200},
  {"name": "maximum_penalty", "type": "text", "max_length": 200}],
 "assurances": ["extradition_assurance"],
 "required": ["name", "sex", "date_of_birth", "nationalities", "facts", "charges",
              "warrant_reference", "warrant_date", "warrant_authority", "maximum_penalty"],
 "public": ["name", "name_latin", "sex", "date_of_birth", "place_of_birth", "nationalities",
            "languages", "charges"]},
{"kind": "yellow", "title": "Yellow Notice", "prefix": "B", "person": true,
 "instruction": "Missing person or person unable to identify themselves: do not detain; ensure their safety and inform NCB {requesting_country} at once, quoting {control_number}.",
 "fields": [
  {"name": "circumstances", "type": "text", "max_length": 4000},
  {"name": "date_of_disappearance", "type": "partial_date"},
  {"name": "place_of_disappearance", "type": "text", "max_length": 200}],
 "required": ["circumstances"],
 "public": ["name", "name_latin", "sex", "date_of_birth", "place_of_birth", "nationalities",
            "languages", "physical_description", "date_of_disappearance",
            "place_of_disappearance"]},
{"kind": "blue", "title": "Blue Notice", "prefix": "C", "person": true,
 "instruction": "Information sought on this person's identity, location or activities: do not detain; report what you learn to NCB {requesting_country}, quoting {control_number}.",
 "fields": [
  {"name": "information_sought", "type": "text", "max_length": 2000},
  {"name": "reasons", "type": "text", "max_length": 4000}],
 "required": ["name", "information_sought", "reasons"],
 "public": []},
{"kind": "black", "title": "Black Notice", "prefix": "D", "person": false,
 "instruction": "Unidentified body: compare with missing persons and inform NCB {requesting_country} of any possible identification, quoting {control_number}.",
 "fields": [
  {"name": "date_found", "type": "date"},
  {"name": "place_found", "type": "text", "max_length": 200},
  {"name": "sex", "type": "enum", "values": ["M", "F", "U"]},
  {"name": "estimated_age", "type": "text", "max_length": 40},
  {"name": "physical_description", "type": "text", "max_length": 2000},
  {"name": "cause_of_death", "type": "text", "max_length": 400}],
 "required": ["date_found", "place_found", "physical_description"],
 "public": []},
{"kind": "green", "title": "Green Notice", "prefix": "E", "person": true,
 "instruction": "Warning: this person has committed criminal offences and is likely to repeat them; be vigilant and inform NCB {requesting_country}, quoting {control_number}.",
 "fields": [
  {"name": "criminal_activities", "type": "text", "max_length": 4000},
  {"name": "warning", "type": "text", "max_length": 2000}],
 "required": ["name", "criminal_activities", "warning"],
 "public": []},
{"kind": "orange", "title": "Orange Notice", "prefix": "F", "person": true,
 "instruction": "Imminent threat to public safety: take the precautions stated and inform NCB {requesting_country} at once, quoting {control_number}.",
 "fields": [
  {"name": "threat_type", "type": "enum", "values": ["event", "person", "object", "process"]},
  {"name": "threat_description", "type": "text", "max_length": 4000},
  {"name": "precautions", "type": "text", "max_length": 2000}],
 "required": ["threat_type", "threat_description", "precautions"],
 "public": []},
{"kind": "purple", "title": "Purple Notice", "prefix": "G", "person": false,
 "instruction": "Modus operandi, object, device or concealment method described in {control_number}: report related cases to NCB {requesting_country}.",
 "fields": [
  {"name": "offence", "type": "text", "max_length": 200},
  {"name": "modus_operandi", "type": "text", "max_length": 4000},
  {"name": "objects", "type": "text_list", "max_length": 200, "max_items": 20},
  {"name": "concealment", "type": "text", "max_length": 2000},
  {"name": "places", "type": "country_list", "max_items": 20}],
 "required": ["offence", "modus_operandi"],
 "public": []},
{"kind": "silver", "title": "Silver Notice", "prefix": "H", "person": true,
 "instruction": "Criminal assets sought: report assets of this person or entity to NCB {requesting_country}, quoting {control_number}; seize only under a national order.",
 "fields": [
  {"name": "criminal_activities", "type": "text", "max_length": 4000},
  {"name": "assets_sought", "type": "text", "max_length": 4000}],
 "required": ["name", "criminal_activities", "assets_sought"],
 "public": []},
{"kind": "un_special", "title": "INTERPOL-United Nations Security Council Special Notice",
 "prefix": "UN", "person": true, "always_public": true,
 "instruction": "Subject to United Nations Security Council sanctions ({control_number}): apply the sanctions listed (assets freeze, travel ban, arms embargo) and inform NCB {requesting_country} and the General Secretariat.",
 "fields": [
  {"name": "sanctions_committee", "type": "text", "max_length": 200},
  {"name": "un_reference", "type": "text", "max_length": 40},
  {"name": "sanctions", "type": "text_list", "max_length": 64, "max_items": 5},
  {"name": "reasons", "type": "text", "max_length": 4000}],
 "required": ["name", "sanctions_committee", "un_reference", "sanctions"],
 "public": ["name", "name_latin", "aliases", "sex", "date_of_birth", "place_of_birth",
            "nationalities", "sanctions_committee", "un_reference", "sanctions", "reasons"]}
]})json";
}

}  // namespace ncbnet::notices
