// A small network in a real SQLite store for the messaging tests: the GS and NCBs for France,
// Germany and Italy; under the French NCB a police agency (holding message.send), a customs
// agency (without it) and a terminal (holding it); under the German NCB a police agency. Every
// agency has a registered signing key.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "access/access_test_env.h"
#include "access/agencies.h"
#include "access/agency_keys.h"
#include "access/grants.h"
#include "access/network.h"
#include "crypto/sign.h"
#include "messaging/hub_messages.h"
#include "messaging/mailbox_search.h"
#include "messaging/message_service.h"
#include "store/sqlite/sqlite_store.h"
#include "tests/testutil/fake_clock.h"
#include "tests/testutil/temp_dir.h"

namespace ncbnet::messaging {

class MessagingTest : public access::AccessTest {
 protected:
  MessagingTest() : AccessTest({{"FRA", "France"}, {"DEU", "Germany"}, {"ITA", "Italy"}}) {}

  void SetUp() override {
    AccessTest::SetUp();
    if (HasFatalFailure()) return;
    fra_police_ = NewAgency("ncb-fra", access::AgencyKind::kAgency, true);
    fra_customs_ = NewAgency("ncb-fra", access::AgencyKind::kAgency, false);
    fra_terminal_ = NewAgency("ncb-fra", access::AgencyKind::kTerminal, true);
    deu_police_ = NewAgency("ncb-deu", access::AgencyKind::kAgency, true);
    for (const std::string& a :
         {std::string("gs"), std::string("ncb-fra"), std::string("ncb-deu"), std::string("ncb-ita"),
          fra_police_, fra_customs_, fra_terminal_, deu_police_}) {
      RegisterKey(a);
    }
  }

  // A child of `parent`, created by its NCB, with message.send if `can_send`.
  std::string NewAgency(const std::string& parent, access::AgencyKind kind, bool can_send) {
    std::string id;
    EXPECT_TRUE(Write([&](store::Transaction& tx) -> Status {
                  NCBNET_ASSIGN_OR_RETURN(
                      access::Agency a,
                      access::CreateChildAgency(tx, parent, parent, kind, "x", clock_.NowMillis()));
                  id = a.id;
                  if (!can_send) return Status::Ok();
                  return access::GrantCapability(tx, {parent, ""}, id, "message.send", std::nullopt,
                                                 clock_.NowMillis())
                      .status();
                }).ok());
    return id;
  }

  void RegisterKey(const std::string& agency) {
    keys_.insert_or_assign(agency, crypto::SigningKey::Generate());
    ASSERT_TRUE(Write([&](store::Transaction& tx) {
                  return access::RegisterAgencyKey(tx, "gs", agency, keys_.at(agency).public_key(),
                                                   clock_.NowMillis())
                      .status();
                }).ok());
  }

  SignedContent Content(const std::string& sender, Addressing to) {
    SignedContent c;
    c.sender_agency = sender;
    c.idempotency_key = "idempotency-" + std::to_string(++next_key_);
    c.created_ms = clock_.NowMillis();
    c.to = std::move(to);
    c.subject = "Stolen passport FRA 12AB34567";
    c.body = "Please check holder.\nRegards";
    c.classification = Classification::kRestricted;
    c.priority = Priority::kUrgent;
    c.language = "en";
    return c;
  }

  Signature SignAs(const std::string& agency, const SignedContent& c) {
    const crypto::SigningKey& key = keys_.at(agency);
    return {access::KeyIdFor(key.public_key()), key.Sign(CanonicalEncoding(c))};
  }

  Result<Accepted> SendSigned(const SignedContent& c, const Signature& sig) {
    Accepted out;
    Status s = Write([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(out, messaging::Send(tx, data_key_, {c.sender_agency, "usr_1"}, c,
                                                   sig, clock_.NowMillis()));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<Accepted> SendAs(const SignedContent& c) {
    return SendSigned(c, SignAs(c.sender_agency, c));
  }

  Result<Accepted> SendTo(const std::string& sender, Addressing to) {
    return SendAs(Content(sender, std::move(to)));
  }

  Result<std::vector<MailboxEvent>> Fetch(const std::string& agency, std::int64_t after,
                                          int limit = 100) {
    std::vector<MailboxEvent> out;
    Status s = Write([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(
          out, FetchMailbox(tx, data_key_, agency, after, limit, clock_.NowMillis()));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<StoredMessage> Read(const std::string& agency, const std::string& id) {
    StoredMessage out;
    Status s = Write([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(out, ReadMessage(tx, data_key_, agency, id, clock_.NowMillis()));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<std::vector<Receipt>> ReceiptsOf(const std::string& sender, const std::string& id) {
    std::vector<Receipt> out;
    Status s = store_->Read([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(out, Receipts(tx, sender, id));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  // Runs raw SQL, as an attacker with access to the database file could.
  void Exec(const std::string& sql, const std::vector<store::Value>& params = {}) {
    ASSERT_TRUE(Write([&](store::Transaction& tx) { return tx.Exec(sql, params).status(); }).ok());
  }

  std::vector<store::Row> Query(const std::string& sql,
                                const std::vector<store::Value>& params = {}) {
    std::vector<store::Row> rows;
    EXPECT_TRUE(store_
                    ->Read([&](store::Transaction& tx) -> Status {
                      NCBNET_ASSIGN_OR_RETURN(rows, tx.Query(sql, params));
                      return Status::Ok();
                    })
                    .ok());
    return rows;
  }

  std::int64_t Count(const std::string& table) {
    const auto rows = Query("SELECT COUNT(*) FROM " + table);
    return rows.empty() ? -1 : rows[0][0].AsInt();
  }

  // Registers hub_key_ as a key of gs, as `ncbnet serve` does at start, for the fixtures
  // whose tests have the hub send its own messages (messaging/hub_messages.h).
  void RegisterHubKey() {
    ASSERT_TRUE(Write([&](store::Transaction& tx) {
                  return EnsureHubKeyRegistered(tx, hub_key_, clock_.NowMillis()).status();
                }).ok());
  }

  DataKey data_key_{std::string(32, 'K')};
  crypto::SigningKey hub_key_ = crypto::SigningKey::Generate();
  std::map<std::string, crypto::SigningKey> keys_;
  std::string fra_police_, fra_customs_, fra_terminal_, deu_police_;
  int next_key_ = 0;
};

// A filter with the fields `set` sets and defaults elsewhere.
template <typename Fn>
MailboxFilter With(Fn set) {
  MailboxFilter f;
  set(f);
  return f;
}

}  // namespace ncbnet::messaging
