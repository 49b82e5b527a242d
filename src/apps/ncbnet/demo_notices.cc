#include "apps/ncbnet/demo_notices.h"

#include <iostream>

#include "apps/ncbnet/network_setup.h"
#include "core/clock.h"
#include "messaging/hub_messages.h"
#include "notices/notices.h"

namespace ncbnet::apps {
namespace {

using nlohmann::json;

// A 4x4 grey PNG standing in for a photograph.
const std::string& DemoPhoto() {
  static const std::string* const kPhoto = new std::string(
      "\x89\x50\x4E\x47\x0D\x0A\x1A\x0A\x00\x00\x00\x0D\x49\x48\x44\x52\x00\x00\x00\x04\x00\x00"
      "\x00\x04\x08\x02\x00\x00\x00\x26\x93\x09\x29\x00\x00\x00\x11\x49\x44\x41\x54\x78\x9C\x63"
      "\x98\xB0\x60\x03\x1C\x31\x10\xC7\x01\x00\x0A\x61\x1E\x01\x42\xFB\xC7\xC9\x00\x00\x00\x00"
      "\x49\x45\x4E\x44\xAE\x42\x60\x82",
      74);
  return *kPhoto;
}

notices::Actor Ncb(const std::string& country, const std::string& agency) {
  return {agency, "", country, access::AgencyKind::kNcb, true, false};
}

const notices::Actor kGs{"gs", "", "", access::AgencyKind::kGs, false, true};

json VolkovFields() {
  return {{"name", "Александр Сергеевич Волков"},
          {"name_latin", "Aleksandr Sergeevich Volkov"},
          {"aliases", {"Alexander Volkov", "Oleksandr Vovk"}},
          {"sex", "M"},
          {"date_of_birth", "1984-07-12"},
          {"nationalities", {"RUS"}},
          {"identity_documents",
           {{{"number", "754213986"}, {"issuing_country", "RUS"}, {"document_type", "passport"}}}},
          {"facts",
           "Armed robbery of a cash transport in Frankfurt am Main on 2 June 2026; two "
           "guards injured."},
          {"charges", {"armed robbery", "dangerous bodily harm"}},
          {"warrant_reference", "BKA 2026/7781 (AG Frankfurt 931 Gs 112/26)"},
          {"warrant_date", "2026-06-19"},
          {"warrant_authority", "Amtsgericht Frankfurt am Main"},
          {"maximum_penalty", "15 years' imprisonment"},
          {"extradition_assurance", true}};
}

json MissingChildFields() {
  return {{"name", "Chloé Lambert"},
          {"sex", "F"},
          {"date_of_birth", "2013-09-04"},
          {"nationalities", {"FRA"}},
          {"physical_description", "1.45 m, slim, long brown hair, blue eyes"},
          {"date_of_disappearance", "2026-10-17"},
          {"place_of_disappearance", "Marseille, Gare Saint-Charles"},
          {"circumstances",
           "Left home for school and did not arrive; may be travelling with "
           "an adult towards Spain or Italy."}};
}

json PurpleFields() {
  return {{"offence", "trafficking in cocaine"},
          {"modus_operandi",
           "Cocaine pressed into the hollow frames of e-bikes shipped in "
           "containers from South America to Gioia Tauro."},
          {"objects", {"e-bike frames", "battery housings"}},
          {"concealment", "Frames cut, filled and re-welded; welds painted over."},
          {"places", {"ITA", "ESP", "NLD"}}};
}

json UnderReviewFields() {
  return {{"name", "Karim Benali"},
          {"sex", "M"},
          {"date_of_birth", "1991-11-23"},
          {"nationalities", {"FRA", "DZA"}},
          {"identity_documents",
           {{{"number", "18CV44012"}, {"issuing_country", "FRA"}, {"document_type", "passport"}}}},
          {"facts", "Leader of a network smuggling migrants across the Channel in small boats."},
          {"charges", {"migrant smuggling", "manslaughter"}},
          {"warrant_reference", "JIRS Lille 26/00871"},
          {"warrant_date", "2026-09-30"},
          {"warrant_authority", "Juge d'instruction, Tribunal judiciaire de Lille"},
          {"maximum_penalty", "Life imprisonment"},
          {"extradition_assurance", true}};
}

json DiffusionFields() {
  return {{"name", "Luca Ferraro"},
          {"sex", "M"},
          {"date_of_birth", "1986-04-02"},
          {"nationalities", {"ITA"}},
          {"identity_documents",
           {{{"number", "YA7731045"}, {"issuing_country", "ITA"}, {"document_type", "passport"}}}},
          {"information_sought", "Current address and contacts in Germany and France."},
          {"reasons",
           "Suspected courier of a 'Ndrangheta cell laundering cash through car "
           "dealerships."}};
}

Status Seed(store::Transaction& tx, const notices::Keys& keys, std::int64_t now) {
  const auto draft = [&](const notices::Actor& a, const char* channel, const char* kind,
                         json fields, bool consent,
                         std::optional<std::vector<std::string>> to) -> Result<std::string> {
    notices::DraftInput in;
    in.kind = kind;
    in.fields = std::move(fields);
    if (std::string(channel) == "notice") in.public_consent = consent;
    in.recipients = std::move(to);
    NCBNET_ASSIGN_OR_RETURN(notices::Notice n, notices::CreateDraft(tx, keys, a, channel, in, now));
    return n.id;
  };
  const auto publish = [&](const notices::Actor& a, const std::string& id,
                           std::string_view control_number = {}) -> Status {
    NCBNET_RETURN_IF_ERROR(notices::Submit(tx, keys, a, id, nullptr, now).status());
    return notices::Review(tx, keys, kGs, id, notices::Decision::kApprove, "", now, control_number)
        .status();
  };
  const notices::Actor deu = Ncb("DEU", "ncb-deu");
  const notices::Actor fra = Ncb("FRA", "ncb-fra");
  const notices::Actor ita = Ncb("ITA", "ncb-ita");
  NCBNET_ASSIGN_OR_RETURN(std::string red,
                          draft(deu, "notice", "red", VolkovFields(), false, std::nullopt));
  NCBNET_RETURN_IF_ERROR(publish(deu, red, "A-4471/8-2026"));
  NCBNET_ASSIGN_OR_RETURN(std::string yellow,
                          draft(fra, "notice", "yellow", MissingChildFields(), true, std::nullopt));
  NCBNET_RETURN_IF_ERROR(notices::AddImage(tx, keys, fra, yellow, DemoPhoto(), now).status());
  NCBNET_RETURN_IF_ERROR(publish(fra, yellow));
  NCBNET_ASSIGN_OR_RETURN(std::string purple,
                          draft(ita, "notice", "purple", PurpleFields(), false, std::nullopt));
  NCBNET_RETURN_IF_ERROR(publish(ita, purple));
  NCBNET_ASSIGN_OR_RETURN(std::string pending,
                          draft(fra, "notice", "red", UnderReviewFields(), false, std::nullopt));
  NCBNET_RETURN_IF_ERROR(notices::Submit(tx, keys, fra, pending, nullptr, now).status());
  NCBNET_ASSIGN_OR_RETURN(std::string diffusion,
                          draft(ita, "diffusion", "blue", DiffusionFields(), false,
                                std::vector<std::string>{"DEU", "FRA", "ESP"}));
  return notices::Circulate(tx, keys, ita, diffusion, nullptr, now).status();
}

}  // namespace

Status SeedDemoNotices(const DataDir& dir, store::Store& store,
                       const crypto::SigningKey& audit_key) {
  NCBNET_ASSIGN_OR_RETURN(messaging::DataKey data_key, dir.LoadOrCreateDataKey());
  NCBNET_ASSIGN_OR_RETURN(crypto::SigningKey hub_key, dir.LoadOrCreateHubMessagingKey());
  NCBNET_ASSIGN_OR_RETURN(records::IndexSecret secret, records::DeriveIndexSecret(data_key.bytes));
  const notices::Keys keys{data_key, hub_key, secret};
  const std::int64_t now = SystemClock().NowMillis();
  return store.Write([&](store::Transaction& tx) -> Status {
    NCBNET_RETURN_IF_ERROR(messaging::EnsureHubKeyRegistered(tx, hub_key, now).status());
    if (Status s = Seed(tx, keys, now); !s.ok()) {
      // The demo's bug, not the operator's.
      return Status::Internal("demo_notices", s.reason() + ": " + s.message());
    }
    return AuditLocal(tx, audit_key, "ncbnet demo",
                      "demo notices: 3 published, 1 under review, 1 diffusion");
  });
}

void PrintNoticesDemo(const std::string& self, const std::string& url, const std::string& ca) {
  std::cout << "  Notices: Red Notice A-4471/8-2026 (Volkov), a missing child's Yellow Notice, a "
               "Purple Notice, one request\n  in the GS's review queue and a diffusion. List "
               "them (login fra.admin; gs.admin for the queue):\n"
            << "    " << self << " notice list --scope live --url " << url << " --ca " << ca << "\n"
            << "  Public extracts (no login; the missing child's notice, whose country consented; "
               "docs/public-extracts.md):\n"
            << "    curl --cacert " << ca << " '" << url
            << "/v1/public/notices?nationality=FRA&age_max=18'\n";
}

}  // namespace ncbnet::apps
