// The demo's MLA requests (demo_mla.h): synthetic cases between France, Germany and Italy.
#include "apps/ncbnet/demo_mla.h"

#include <iostream>

#include "access/agencies.h"
#include "access/agency_keys.h"
#include "access/capabilities.h"
#include "access/grants.h"
#include "access/users.h"
#include "apps/ncbnet/network_setup.h"
#include "core/clock.h"
#include "crypto/hash.h"
#include "crypto/password.h"
#include "messaging/attachments.h"
#include "messaging/hub_messages.h"
#include "mla/mla.h"

namespace ncbnet::apps {
namespace {

constexpr std::int64_t kDayMs = std::int64_t{24} * 3600 * 1000;

struct Authorities {
  std::string fra_justice, deu_justice;
};

// A central authority under `ncb`, holding mla.request (and message.send, to upload files)
// from its NCB, with a demo user.
Result<std::string> CentralAuthority(store::Transaction& tx, const std::string& ncb,
                                     const std::string& name, const std::string& user,
                                     const std::string& display_name, const std::string& hash,
                                     std::int64_t now) {
  NCBNET_ASSIGN_OR_RETURN(
      access::Agency agency,
      access::CreateChildAgency(tx, ncb, ncb, access::AgencyKind::kAgency, name, now));
  for (std::string_view cap : {access::kMlaRequest, access::kMessageSend}) {
    NCBNET_RETURN_IF_ERROR(
        access::GrantCapability(tx, {ncb, ""}, agency.id, std::string(cap), std::nullopt, now)
            .status());
  }
  NCBNET_RETURN_IF_ERROR(access::InsertUser(tx, agency.id, user, display_name, hash, now).status());
  return agency.id;
}

// A synthetic letter of request, uploaded by `agency` as a client would.
Result<messaging::AttachmentRef> Letter(store::Transaction& tx, const messaging::DataKey& key,
                                        const std::string& agency, const std::string& text,
                                        const std::string& name, std::int64_t now) {
  const std::string pdf =
      "%PDF-1.4\n% Synthetic demo document: not a real case file.\n(" + text + ")\n%%EOF\n";
  const messaging::AttachmentRef ref{crypto::Sha256Hex(pdf), static_cast<std::int64_t>(pdf.size()),
                                     name, "application/pdf"};
  NCBNET_ASSIGN_OR_RETURN(messaging::Upload upload,
                          messaging::OpenUpload(tx, agency, ref.sha256, ref.size, now));
  NCBNET_RETURN_IF_ERROR(messaging::WriteChunk(tx, key, agency, upload.id, 0, pdf, now).status());
  NCBNET_RETURN_IF_ERROR(messaging::CompleteUpload(tx, key, agency, upload.id, now).status());
  return ref;
}

mla::NewRequest BankRecords(std::int64_t now) {
  mla::NewRequest r;
  r.type = mla::RequestType::kMla;
  r.requested_country = "DEU";
  r.urgency = mla::Urgency::kUrgent;
  r.deadline_ms = now + 45 * kDayMs;
  r.text = {"PNF 2026/1187 (Tribunal judiciaire de Paris)",
            "EU Convention on Mutual Assistance in Criminal Matters (2000), art. 3; CMA 1959",
            "Bank records of an account used in an investment fraud (synthetic demo case)",
            "Between March and June 2026, 41 investors in France wired EUR 2.4 million to an\n"
            "account at a bank in Frankfurt am Main after cold calls offering 'green bonds'.\n"
            "The funds left the account within days. (Invented facts.)",
            {"Statements of account DE00 5001 0000 0000 1187 00 from 2026-01-01 to date",
             "Identity of the account holder and of every person authorised on the account",
             "IP addresses used to log in to online banking"},
            {"Marc LEGRAND, born 1979-04-12, French national (demo person)"}};
  return r;
}

mla::NewRequest Extradition(std::int64_t now) {
  mla::NewRequest r;
  r.type = mla::RequestType::kExtradition;
  r.requested_country = "FRA";
  r.urgency = mla::Urgency::kUrgent;
  r.deadline_ms = now + 40 * kDayMs;
  r.text = {"StA Hamburg 5500 Js 118/26",
            "Framework Decision 2002/584/JHA; European Convention on Extradition (1957)",
            "Surrender of a person wanted for drug trafficking (synthetic demo case)",
            "On 2 May 2026, 400 kg of cocaine were found in a container unloaded at Hamburg.\n"
            "The person organised the shipment and is believed to live in Lyon. (Invented.)",
            {"Provisional arrest and surrender of Jan KOWALCZYK"},
            {"Jan KOWALCZYK, born 1984-11-23, Polish national (demo person)"}};
  return r;
}

mla::NewRequest WitnessHearing(std::int64_t now) {
  mla::NewRequest r;
  r.type = mla::RequestType::kMla;
  r.requested_country = "DEU";
  r.urgency = mla::Urgency::kRoutine;
  r.deadline_ms = now + 60 * kDayMs;
  r.text = {"Proc. 4471/2026 RGNR Procura di Milano",
            "EU Convention on Mutual Assistance in Criminal Matters (2000), art. 10",
            "Hearing of a witness to a cargo theft on the A7 (synthetic demo case)",
            "A lorry of pharmaceuticals was stolen at a rest area near Kassel; a German driver\n"
            "saw the theft. (Invented facts.)",
            {"Hearing of the witness by videoconference"},
            {}};
  return r;
}

Status SeedRequests(store::Transaction& tx, const mla::Keys& keys, const Authorities& a,
                    std::int64_t now) {
  using mla::State;
  const auto move = [&](const std::string& agency, const std::string& country,
                        const std::string& id, mla::Transition t) {
    return mla::ApplyTransition(tx, keys, id, {agency, country, ""}, t, now).status();
  };
  // France asks Germany for bank records: received, then assigned to the BfJ.
  mla::NewRequest bank = BankRecords(now);
  NCBNET_ASSIGN_OR_RETURN(messaging::AttachmentRef letter,
                          Letter(tx, keys.data_key, a.fra_justice,
                                 "Letter of request PNF 2026/1187, signed by the "
                                 "investigating judge",
                                 "letter-of-request.pdf", now));
  bank.attachments = {letter};
  NCBNET_ASSIGN_OR_RETURN(mla::Request r1,
                          mla::CreateRequest(tx, keys, {a.fra_justice, "FRA", ""}, bank, now));
  NCBNET_RETURN_IF_ERROR(move("ncb-deu", "DEU", r1.id, {State::kReceived, "", "", {}}));
  NCBNET_RETURN_IF_ERROR(
      move("ncb-deu", "DEU", r1.id,
           {State::kInProgress, "Forwarded to the Federal Office of Justice.", a.deu_justice, {}}));
  // Germany asks France for a surrender: received by NCB Paris.
  NCBNET_ASSIGN_OR_RETURN(mla::Request r2, mla::CreateRequest(tx, keys, {a.deu_justice, "DEU", ""},
                                                              Extradition(now), now));
  NCBNET_RETURN_IF_ERROR(move("ncb-fra", "FRA", r2.id, {State::kReceived, "", "", {}}));
  // Italy asked Germany to hear a witness: executed.
  NCBNET_ASSIGN_OR_RETURN(mla::Request r3, mla::CreateRequest(tx, keys, {"ncb-ita", "ITA", ""},
                                                              WitnessHearing(now), now));
  NCBNET_RETURN_IF_ERROR(move("ncb-deu", "DEU", r3.id, {State::kReceived, "", "", {}}));
  NCBNET_RETURN_IF_ERROR(move("ncb-deu", "DEU", r3.id, {State::kInProgress, "", "", {}}));
  return move(
      "ncb-deu", "DEU", r3.id,
      {State::kExecuted, "The witness was heard on 12 June; the record follows by post.", "", {}});
}

}  // namespace

Status SeedDemoMla(const DataDir& dir, store::Store& store, const crypto::SigningKey& audit_key,
                   const std::string& password) {
  NCBNET_ASSIGN_OR_RETURN(const std::string hash, crypto::HashPassword(password));
  NCBNET_ASSIGN_OR_RETURN(const messaging::DataKey data_key, dir.LoadOrCreateDataKey());
  NCBNET_ASSIGN_OR_RETURN(const crypto::SigningKey hub_key, dir.LoadOrCreateHubMessagingKey());
  const std::int64_t now = SystemClock().NowMillis();
  return store.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(const bool registered,
                            messaging::EnsureHubKeyRegistered(tx, hub_key, now));
    if (registered) {
      NCBNET_RETURN_IF_ERROR(
          AuditLocal(tx, audit_key, "key.register", access::KeyIdFor(hub_key.public_key())));
    }
    Authorities a;
    NCBNET_ASSIGN_OR_RETURN(
        a.fra_justice,
        CentralAuthority(tx, "ncb-fra", "Ministère de la Justice, Bureau de l'entraide pénale",
                         "fra.justice", "Hélène Garnier", hash, now));
    NCBNET_ASSIGN_OR_RETURN(a.deu_justice,
                            CentralAuthority(tx, "ncb-deu", "Bundesamt für Justiz", "deu.justice",
                                             "Tobias Brandt", hash, now));
    NCBNET_RETURN_IF_ERROR(SeedRequests(tx, {data_key, hub_key}, a, now));
    return AuditLocal(tx, audit_key, "ncbnet demo", "demo central authorities and MLA requests");
  });
}

void PrintMlaDemo(const std::string& self, const std::string& url, const std::string& data_dir) {
  std::cout << "  MLA and extradition requests (docs/mla.md): France asked Germany for bank "
               "records (in progress),\n"
            << "  Germany asked France for a surrender (received), Italy's request to Germany "
               "was executed.\n"
            << "  Log in as fra.justice (French Ministry of Justice) or deu.justice, then:\n"
            << "    " << self << " mla list --url " << url << " --ca " << data_dir << "/ca.crt\n"
            << "    " << self << " mla show <mla id> --url " << url << " --ca " << data_dir
            << "/ca.crt\n";
}

}  // namespace ncbnet::apps
