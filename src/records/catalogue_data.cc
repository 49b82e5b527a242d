// The catalogue the network ships: its databases as data (docs/records.md explains the form).
#include "records/catalogue_data.h"

namespace ncbnet::records {

std::string_view BuiltinCatalogueJson() {
  return R"json({"databases": [
{"code": "SLTD", "title": "Stolen and lost travel documents", "review_years": 10,
 "fields": [
  {"name": "number", "type": "text", "required": true, "max_length": 40},
  {"name": "issuing_country", "type": "country", "required": true},
  {"name": "document_type", "type": "enum", "required": true,
   "values": ["passport", "identity_card", "visa", "residence_permit", "travel_document", "other"]},
  {"name": "status", "type": "enum", "required": true,
   "values": ["stolen", "lost", "revoked", "invalidated", "stolen_blank"]},
  {"name": "event_date", "type": "date"},
  {"name": "event_place", "type": "text", "max_length": 200}],
 "identifiers": [{"name": "document", "kind": "document", "fields": ["issuing_country", "number"]}]},
{"code": "SMV", "title": "Stolen motor vehicles", "review_years": 5,
 "fields": [
  {"name": "vin", "type": "text", "max_length": 40},
  {"name": "plate", "type": "text", "max_length": 20},
  {"name": "plate_country", "type": "country"},
  {"name": "make", "type": "text", "required": true, "max_length": 64},
  {"name": "model", "type": "text", "max_length": 64},
  {"name": "colour", "type": "text", "max_length": 32},
  {"name": "year", "type": "integer", "min": 1886, "max": 2100},
  {"name": "theft_date", "type": "date"},
  {"name": "theft_place", "type": "text", "max_length": 200}],
 "identifiers": [{"name": "vin", "kind": "vin", "fields": ["vin"]},
                 {"name": "plate", "kind": "plate", "fields": ["plate_country", "plate"]}]},
{"code": "NOMINAL", "title": "Persons", "review_years": 5,
 "fields": [
  {"name": "name", "type": "text", "required": true, "max_length": 200,
   "description": "full name in the original script"},
  {"name": "name_latin", "type": "text", "max_length": 200},
  {"name": "aliases", "type": "text_list", "max_length": 200, "max_items": 20},
  {"name": "sex", "type": "enum", "values": ["M", "F", "U"]},
  {"name": "date_of_birth", "type": "partial_date"},
  {"name": "nationalities", "type": "country_list", "max_items": 5},
  {"name": "identity_documents", "type": "object_list", "max_items": 10, "fields": [
    {"name": "number", "type": "text", "required": true, "max_length": 40},
    {"name": "issuing_country", "type": "country", "required": true},
    {"name": "document_type", "type": "text", "max_length": 40}]},
  {"name": "photos", "type": "text_list", "max_length": 64, "max_items": 10,
   "description": "SHA-256 of attachments holding photographs"},
  {"name": "reasons", "type": "text", "max_length": 2000},
  {"name": "charges", "type": "text_list", "max_length": 200, "max_items": 20},
  {"name": "notices", "type": "text_list", "max_length": 64, "max_items": 20}],
 "identifiers": [{"name": "document", "kind": "document", "list": "identity_documents",
                  "fields": ["issuing_country", "number"]}],
 "names": ["name", "name_latin", "aliases"],
 "dob_field": "date_of_birth", "sex_field": "sex", "nationality_field": "nationalities"},
{"code": "FIREARMS", "title": "Lost, stolen and trafficked firearms", "review_years": 5,
 "fields": [
  {"name": "serial", "type": "text", "required": true, "max_length": 40},
  {"name": "make", "type": "text", "required": true, "max_length": 64},
  {"name": "model", "type": "text", "max_length": 64},
  {"name": "calibre", "type": "text", "max_length": 32},
  {"name": "firearm_type", "type": "enum", "required": true,
   "values": ["pistol", "revolver", "rifle", "shotgun", "submachine_gun", "machine_gun", "other"]}],
 "identifiers": [{"name": "firearm", "kind": "firearm", "fields": ["make", "serial"]}]},
{"code": "WOA", "title": "Stolen works of art", "review_years": 5,
 "fields": [
  {"name": "title", "type": "text", "required": true, "max_length": 300},
  {"name": "artist", "type": "text", "max_length": 200},
  {"name": "object_type", "type": "text", "required": true, "max_length": 64},
  {"name": "dimensions", "type": "text", "max_length": 100},
  {"name": "description", "type": "text", "max_length": 4000},
  {"name": "images", "type": "text_list", "max_length": 64, "max_items": 10,
   "description": "SHA-256 of attachments holding images"}],
 "identifiers": []},
{"code": "SAD", "title": "Stolen blank administrative documents", "review_years": 5,
 "fields": [
  {"name": "issuing_country", "type": "country", "required": true},
  {"name": "document_type", "type": "text", "required": true, "max_length": 64},
  {"name": "series", "type": "text", "required": true, "max_length": 20},
  {"name": "number_from", "type": "integer", "required": true, "min": 0, "max": 999999999999},
  {"name": "number_to", "type": "integer", "required": true, "min": 0, "max": 999999999999}],
 "identifiers": [{"name": "series", "kind": "series", "fields": ["issuing_country", "series"],
                  "range_from": "number_from", "range_to": "number_to"}]},
{"code": "VESSELS", "title": "Vessels of interest", "review_years": 5,
 "fields": [
  {"name": "imo", "type": "text", "required": true, "max_length": 16},
  {"name": "name", "type": "text", "required": true, "max_length": 120},
  {"name": "flag", "type": "country"}],
 "identifiers": [{"name": "imo", "kind": "imo", "fields": ["imo"]}]},
{"code": "NOTICES", "title": "Subjects of published notices and circulated diffusions",
 "review_years": 5, "managed": true,
 "fields": [
  {"name": "control_number", "type": "text", "required": true, "max_length": 40},
  {"name": "kind", "type": "enum", "required": true,
   "values": ["red", "yellow", "blue", "black", "green", "orange", "purple", "silver", "un_special"]},
  {"name": "channel", "type": "enum", "required": true, "values": ["notice", "diffusion"]},
  {"name": "name", "type": "text", "max_length": 200},
  {"name": "name_latin", "type": "text", "max_length": 200},
  {"name": "aliases", "type": "text_list", "max_length": 200, "max_items": 20},
  {"name": "sex", "type": "enum", "values": ["M", "F", "U"]},
  {"name": "date_of_birth", "type": "partial_date"},
  {"name": "nationalities", "type": "country_list", "max_items": 5},
  {"name": "identity_documents", "type": "object_list", "max_items": 10, "fields": [
    {"name": "number", "type": "text", "required": true, "max_length": 40},
    {"name": "issuing_country", "type": "country", "required": true},
    {"name": "document_type", "type": "text", "max_length": 40}]}],
 "identifiers": [{"name": "document", "kind": "document", "list": "identity_documents",
                  "fields": ["issuing_country", "number"]}],
 "names": ["name", "name_latin", "aliases"],
 "dob_field": "date_of_birth", "sex_field": "sex", "nationality_field": "nationalities"}
]})json";
}

}  // namespace ncbnet::records
