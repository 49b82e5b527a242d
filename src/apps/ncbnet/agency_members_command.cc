// ncbnet agency user add | list | disable and ncbnet agency cert issue | list | revoke: the
// users and client certificates of the agencies in our branch (docs/delegation.md).
#include <sys/stat.h>

#include <iostream>

#include "apps/ncbnet/agency_cli.h"
#include "apps/ncbnet/data_dir.h"
#include "apps/ncbnet/output.h"
#include "crypto/encoding.h"
#include "crypto/random.h"
#include "crypto/x509.h"

namespace ncbnet::apps::agency_cli {
namespace {

using nlohmann::json;

std::string UserLine(const json& u) {
  return Str(u, "id") + "  " + Str(u, "name") + "  " + Str(u, "display_name") +
         (u.contains("disabled_at") && !u["disabled_at"].is_null() ? "  [disabled]" : "");
}

std::string CertLine(const json& c) {
  const bool revoked = c.contains("revoked_at") && !c["revoked_at"].is_null();
  return Str(c, "serial") + "  " + Str(c, "agency_id") + "  until " + Str(c, "not_after") +
         (revoked ? "  [revoked]" : "");
}

// The first line of standard input, without its line end.
Result<std::string> PasswordFromStdin() {
  std::string line;
  if (!std::getline(std::cin, line)) {
    return Status::InvalidArgument("invalid_request", "no password on standard input");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

Status AddUser(HubClient& hub, const Flags& f) {
  NCBNET_RETURN_IF_ERROR(CheckPathId(f.id, "agency id"));
  // Without --password-stdin the user gets a random password (144 bits), shown once.
  std::string password;
  if (f.password_stdin) {
    NCBNET_ASSIGN_OR_RETURN(password, PasswordFromStdin());
  } else {
    password = crypto::Base64UrlEncode(crypto::RandomBytes(18));
  }
  json body = {{"name", f.name}, {"password", password}};
  if (!f.display_name.empty()) body["display_name"] = f.display_name;
  NCBNET_ASSIGN_OR_RETURN(HubClient::Reply r,
                          hub.CallOk("POST", "/v1/agencies/" + f.id + "/users", body));
  if (f.json) {
    json out = r.body;
    if (!f.password_stdin) out["password"] = password;
    PrintJson(out);
  } else {
    std::cout << UserLine(r.body) << "\n";
    if (!f.password_stdin) std::cout << "password: " << password << "\n";
  }
  return Status::Ok();
}

Status ListUsers(HubClient& hub, const Flags& f) {
  NCBNET_RETURN_IF_ERROR(CheckPathId(f.id, "agency id"));
  NCBNET_ASSIGN_OR_RETURN(HubClient::Reply r, hub.CallOk("GET", "/v1/agencies/" + f.id + "/users"));
  PrintEach(f, r.body, "users", UserLine);
  return Status::Ok();
}

Status DisableUser(HubClient& hub, const Flags& f) {
  NCBNET_RETURN_IF_ERROR(CheckPathId(f.id, "user id"));
  NCBNET_ASSIGN_OR_RETURN(HubClient::Reply r, hub.CallOk("POST", "/v1/users/" + f.id + "/disable"));
  PrintOne(f, r.body, UserLine);
  return Status::Ok();
}

// The key pair is made here and the private key never leaves this machine: the hub sees only
// the CSR. Files are written after the hub answers, and never over existing ones.
Status IssueCert(HubClient& hub, const Flags& f) {
  NCBNET_RETURN_IF_ERROR(CheckPathId(f.id, "agency id"));
  const std::string key_path = f.out + ".key";
  const std::string cert_path = f.out + ".crt";
  for (const std::string& path : {key_path, cert_path}) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
      return Status::AlreadyExists("file_exists", path + " exists; choose another --out");
    }
  }
  NCBNET_ASSIGN_OR_RETURN(crypto::KeyAndCsr pair, crypto::CreateCertificateSigningRequest(f.id));
  NCBNET_ASSIGN_OR_RETURN(HubClient::Reply r,
                          hub.CallOk("POST", "/v1/agencies/" + f.id + "/certificates",
                                     {{"csr", pair.csr_pem}, {"days", f.days}}));
  const auto pem = r.body.find("certificate");
  if (pem == r.body.end() || !pem->is_string()) {
    return Status::Internal("invalid_reply", "the hub's reply has no certificate");
  }
  NCBNET_RETURN_IF_ERROR(WriteNewFile(key_path, pair.key_pem, 0600));
  NCBNET_RETURN_IF_ERROR(WriteNewFile(cert_path, pem->get<std::string>(), 0644));
  if (f.json) {
    json out = r.body;
    out.erase("certificate");
    out["cert"] = cert_path;
    out["key"] = key_path;
    PrintJson(out);
  } else {
    std::cout << Str(r.body, "serial") << "\n";
  }
  return Status::Ok();
}

Status ListCerts(HubClient& hub, const Flags& f) {
  NCBNET_RETURN_IF_ERROR(CheckPathId(f.id, "agency id"));
  NCBNET_ASSIGN_OR_RETURN(HubClient::Reply r,
                          hub.CallOk("GET", "/v1/agencies/" + f.id + "/certificates"));
  PrintEach(f, r.body, "certificates", CertLine);
  return Status::Ok();
}

Status RevokeCert(HubClient& hub, const Flags& f) {
  NCBNET_RETURN_IF_ERROR(CheckPathId(f.id, "serial"));
  NCBNET_ASSIGN_OR_RETURN(HubClient::Reply r, hub.CallOk("DELETE", "/v1/certificates/" + f.id));
  PrintOne(f, r.body, [](const json& c) { return "revoked " + CertLine(c); });
  return Status::Ok();
}

}  // namespace

void RegisterUserCommands(CLI::App* agency, int& exit_code) {
  auto* user = agency->add_subcommand("user", "Users of the agencies in our branch");
  user->require_subcommand(1);

  auto f = std::make_shared<Flags>();
  auto* add = AddCommand(user, "add", "Create a user in an agency", f, AddUser, exit_code);
  add->add_option("agency", f->id, "Agency id")->required();
  add->add_option("--name", f->name, "Login name: 3-64 of a-z 0-9 . _ -")->required();
  add->add_option("--display-name", f->display_name, "The person's name");
  add->add_flag("--password-stdin", f->password_stdin,
                "Read the password from standard input (else a random one is printed once)");

  f = std::make_shared<Flags>();
  AddCommand(user, "list", "The users of an agency", f, ListUsers, exit_code)
      ->add_option("agency", f->id, "Agency id")
      ->required();

  f = std::make_shared<Flags>();
  AddCommand(user, "disable", "Disable a user and end its sessions", f, DisableUser, exit_code)
      ->add_option("user", f->id, "User id (usr_...)")
      ->required();
}

void RegisterCertCommands(CLI::App* agency, int& exit_code) {
  auto* cert = agency->add_subcommand("cert", "Client certificates of the agencies in our branch");
  cert->require_subcommand(1);

  auto f = std::make_shared<Flags>();
  auto* issue =
      AddCommand(cert, "issue", "Make a key pair here and have the hub certify it for an agency", f,
                 IssueCert, exit_code);
  issue->add_option("agency", f->id, "Agency id")->required();
  issue->add_option("--out", f->out, "Writes OUT.key (0600) and OUT.crt")->required();
  issue->add_option("--days", f->days, "Validity in days (1-365)")->check(CLI::Range(1, 365));

  f = std::make_shared<Flags>();
  AddCommand(cert, "list", "The certificates of an agency", f, ListCerts, exit_code)
      ->add_option("agency", f->id, "Agency id")
      ->required();

  f = std::make_shared<Flags>();
  AddCommand(cert, "revoke", "Revoke a certificate; refused from its next request", f, RevokeCert,
             exit_code)
      ->add_option("serial", f->id, "Serial in hex")
      ->required();
}

}  // namespace ncbnet::apps::agency_cli
