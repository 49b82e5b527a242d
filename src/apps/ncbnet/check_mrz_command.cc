// ncbnet check mrz: the border check of one traveller from the machine readable zone of a
// passport, identity card or visa (POST /v1/border-checks): the document in SLTD, the person in
// NOMINAL and among the subjects of live notices (NOTICES), the notices the person's records
// cite, and the owners' actions, in one answer (printed by border_check_text.h). The MRZ is
// read from --line flags or, without them, from standard input (as a document reader writes it).
// Exit status: 0 when the hub answered, alert or clear; 1 on an error, including an MRZ the hub
// refused (its problems are printed, and with --offer-correction the corrected reading of an
// MRZ with OCR confusions, to compare with the document and send again); a bad MRZ is also
// caught offline by `ncbnet mrz parse`.
#include <iostream>
#include <iterator>

#include "apps/ncbnet/border_check_text.h"
#include "apps/ncbnet/commands.h"
#include "apps/ncbnet/output.h"
#include "apps/ncbnet/records_cli.h"

namespace ncbnet::apps {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxStdinBytes = 4096;  // the hub refuses an MRZ over 256 bytes anyway

struct MrzCheckFlags {
  ClientFlags client;
  std::vector<std::string> lines;
  CheckContextFlags context;
  bool json = false;
  bool offer_correction = false;
};

Result<std::string> MrzInput(const MrzCheckFlags& f) {
  std::string text;
  for (const std::string& line : f.lines) text += line + "\n";
  if (!text.empty()) return text;
  std::istreambuf_iterator<char> in(std::cin), end;
  while (in != end && text.size() <= kMaxStdinBytes) text += *in++;
  if (text.size() > kMaxStdinBytes) {
    return Status::InvalidArgument("mrz_too_large", "standard input holds more than an MRZ");
  }
  return text;
}

// The hub's view of a refused MRZ: its problems, and the corrected reading when offered.
void PrintRefusedMrz(const json& mrz) {
  for (const json& p : mrz.value("problems", json::array())) {
    std::cerr << "  " << ValueText(p.value("code", json(""))) << ": "
              << ValueText(p.value("message", json(""))) << "\n";
  }
  const json corrected = mrz.value("corrected", json::object());
  if (corrected.empty()) return;
  std::cerr << "Corrected reading (check it against the document, then send it again):\n";
  for (const json& line : corrected.value("lines", json::array())) {
    std::cerr << "  " << ValueText(line) << "\n";
  }
  for (const json& c : corrected.value("corrections", json::array())) {
    std::cerr << "  line " << ValueText(c.value("line", json(0))) << ", column "
              << ValueText(c.value("column", json(0))) << " ("
              << ValueText(c.value("field", json(""))) << "): '"
              << ValueText(c.value("found", json(""))) << "' -> '"
              << ValueText(c.value("corrected", json(""))) << "'\n";
  }
}

Status CheckMrz(const MrzCheckFlags& f) {
  NCBNET_ASSIGN_OR_RETURN(std::string text, MrzInput(f));
  json request = {{"mrz", text}};
  if (f.offer_correction) request["offer_mrz_correction"] = true;
  if (json context = f.context.Json(); !context.empty()) request["context"] = context;
  NCBNET_ASSIGN_OR_RETURN(HubClient hub, HubClient::Connect(f.client));
  NCBNET_ASSIGN_OR_RETURN(HubClient::Reply reply, hub.Call("POST", "/v1/border-checks", request));
  if (reply.status >= 400) {
    if (reply.body.is_object() && reply.body.contains("mrz") && reply.body["mrz"].is_object()) {
      PrintRefusedMrz(reply.body["mrz"]);
    }
    return StatusFromReply(reply);
  }
  if (f.json) {
    PrintJson(reply.body);
    return Status::Ok();
  }
  PrintBorderCheck(std::cout, reply.body);
  return Status::Ok();
}

}  // namespace

void AddMrzCheck(CLI::App* check, int& exit_code) {
  auto f = std::make_shared<MrzCheckFlags>();
  auto* cmd = check->add_subcommand(
      "mrz", "Border check from a passport's MRZ: document, person, notices, action, in one");
  cmd->add_option("--line", f->lines, "An MRZ line (repeat; default: read from standard input)");
  cmd->add_flag("--json", f->json, "Print the hub's JSON answer");
  cmd->add_flag("--offer-correction", f->offer_correction,
                "With OCR confusions (O for 0...), print the corrected reading the hub offers");
  f->context.Add(cmd);
  AddClientFlags(cmd, f->client);
  cmd->callback([f, &exit_code] {
    if (Status s = CheckMrz(*f); !s.ok()) exit_code = Fail(s);
  });
}

}  // namespace ncbnet::apps
