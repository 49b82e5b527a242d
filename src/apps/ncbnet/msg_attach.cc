#include "apps/ncbnet/msg_attach.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "apps/ncbnet/output.h"
#include "core/json.h"
#include "crypto/hash.h"
#include "messaging/attachments.h"

namespace ncbnet::apps {
namespace {

using nlohmann::json;

constexpr int kChunkTries = 4;

std::string GuessMediaType(const std::string& name) {
  const std::string ext = std::filesystem::path(name).extension().string();
  static const std::pair<const char*, const char*> kTypes[] = {
      {".pdf", "application/pdf"},   {".txt", "text/plain"},      {".csv", "text/csv"},
      {".json", "application/json"}, {".jpg", "image/jpeg"},      {".jpeg", "image/jpeg"},
      {".png", "image/png"},         {".zip", "application/zip"}, {".xml", "application/xml"}};
  for (const auto& [e, type] : kTypes) {
    if (ext == e) return type;
  }
  return "application/octet-stream";
}

// One pass over the file for its hash and size, a chunk at a time.
Result<std::pair<std::string, std::int64_t>> HashFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("file_missing", "cannot open " + path);
  crypto::Sha256Stream hash;
  std::string buffer(static_cast<std::size_t>(messaging::kChunkBytes), '\0');
  std::int64_t size = 0;
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const std::streamsize got = in.gcount();
    if (got <= 0) break;
    hash.Update(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
    size += got;
  }
  if (in.bad()) return Status::Unavailable("read_failed", "cannot read " + path);
  return std::make_pair(hash.FinishHex(), size);
}

// Sends one chunk; after a transport failure asks the hub how much it holds, since the chunk
// may have been committed before the answer was lost.
Status SendChunk(HubClient& hub, const std::string& upload_path, std::int64_t offset,
                 const std::string& chunk) {
  for (int attempt = 1;; ++attempt) {
    Result<HubClient::RawReply> reply =
        hub.CallRaw("PUT", upload_path + "?offset=" + std::to_string(offset), chunk,
                    "application/octet-stream");
    if (reply.ok()) {
      if (reply->status == 200) return Status::Ok();
      HubClient::Reply parsed{reply->status, ParseJson(reply->body), reply->body};
      return StatusFromReply(parsed);
    }
    if (attempt == kChunkTries) return reply.status();
    std::this_thread::sleep_for(std::chrono::milliseconds(500 * attempt));
    Result<HubClient::Reply> state = hub.Call("GET", upload_path);
    if (state.ok() && state->status == 200 &&
        state->body.value("received", std::int64_t{-1}) > offset) {
      return Status::Ok();  // the lost answer was a success
    }
  }
}

Status Download(const ClientFlags& client, const std::string& id, int index,
                const std::string& out_path, bool as_json) {
  NCBNET_ASSIGN_OR_RETURN(HubClient hub, HubClient::Connect(client));
  NCBNET_ASSIGN_OR_RETURN(HubClient::Reply message, hub.CallOk("GET", "/v1/messages/" + id));
  const json list = message.body["content"].value("attachments", json::array());
  if (index < 0 || static_cast<std::size_t>(index) >= list.size() || !list[index].is_object()) {
    return Status::NotFound("attachment_not_found", "the message has no such attachment");
  }
  const std::string sha256 = list[index].value("sha256", "");
  const std::int64_t size = list[index].value("size", std::int64_t{0});
  std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::Unavailable("write_failed", "cannot write " + out_path);
  crypto::Sha256Stream hash;
  std::int64_t got = 0;
  Status status = Status::Ok();
  const std::string path = "/v1/messages/" + id + "/attachments/" + std::to_string(index);
  while (status.ok() && got < size) {
    Result<HubClient::RawReply> reply =
        hub.CallRaw("GET", path + "?offset=" + std::to_string(got) +
                               "&length=" + std::to_string(messaging::kChunkBytes));
    if (!reply.ok()) {
      status = reply.status();
    } else if (reply->status != 200) {
      status = StatusFromReply({reply->status, ParseJson(reply->body), ""});
    } else if (reply->body.empty() || got + static_cast<std::int64_t>(reply->body.size()) > size) {
      status = Status::DataLoss("attachment_mismatch", "the hub sent more bytes than signed");
    } else {
      hash.Update(reply->body);
      out.write(reply->body.data(), static_cast<std::streamsize>(reply->body.size()));
      got += static_cast<std::int64_t>(reply->body.size());
    }
  }
  out.close();
  if (status.ok() && (!out || hash.FinishHex() != sha256)) {
    status = Status::DataLoss("attachment_mismatch",
                              "the bytes received do not match the signed SHA-256 and size");
  }
  if (!status.ok()) {
    std::error_code ec;
    std::filesystem::remove(out_path, ec);  // never leave a partial or wrong file behind
    return status;
  }
  if (as_json) {
    PrintJson({{"file", out_path}, {"sha256", sha256}, {"size", size}});
  } else {
    std::cout << out_path << ": " << size << " bytes, sha256 " << sha256 << " (as signed)\n";
  }
  return Status::Ok();
}

}  // namespace

Result<messaging::AttachmentRef> UploadAttachment(HubClient& hub, const std::string& path,
                                                  const std::string& media_type) {
  NCBNET_ASSIGN_OR_RETURN(auto hashed, HashFile(path));
  messaging::AttachmentRef ref{hashed.first, hashed.second,
                               std::filesystem::path(path).filename().string(),
                               media_type.empty() ? GuessMediaType(path) : media_type};
  NCBNET_ASSIGN_OR_RETURN(
      HubClient::Reply opened,
      hub.CallOk("POST", "/v1/attachments", {{"size", ref.size}, {"sha256", ref.sha256}}));
  const std::string upload_path = "/v1/attachments/uploads/" + opened.body.value("upload_id", "");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("file_missing", "cannot open " + path);
  std::string chunk(static_cast<std::size_t>(messaging::kChunkBytes), '\0');
  for (std::int64_t offset = 0; offset < ref.size;) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got == 0) return Status::Unavailable("read_failed", path + " changed while uploading");
    NCBNET_RETURN_IF_ERROR(SendChunk(hub, upload_path, offset, chunk.substr(0, got)));
    offset += static_cast<std::int64_t>(got);
  }
  NCBNET_RETURN_IF_ERROR(hub.CallOk("POST", upload_path + "/complete").status());
  return ref;
}

void RegisterMsgAttachment(CLI::App& msg, int& exit_code) {
  struct Flags {
    ClientFlags client;
    std::string id, out;
    int index = 0;
    bool json = false;
  };
  auto f = std::make_shared<Flags>();
  auto* cmd = msg.add_subcommand("attachment", "Download a message's attachment, checked");
  cmd->add_option("id", f->id, "Message id")->required();
  cmd->add_option("index", f->index, "The attachment's index in the message, from 0")
      ->required()
      ->check(CLI::Range(0, 19));
  cmd->add_option("--out", f->out, "Write it to this file")->required();
  cmd->add_flag("--json", f->json);
  AddClientFlags(cmd, f->client);
  cmd->callback([f, &exit_code] {
    for (const char c : f->id) {
      if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_' && c != '-') {
        exit_code = Fail(Status::InvalidArgument("invalid_id", "a message id looks like msg_..."));
        return;
      }
    }
    if (Status s = Download(f->client, f->id, f->index, f->out, f->json); !s.ok()) {
      exit_code = Fail(s);
    }
  });
}

}  // namespace ncbnet::apps
