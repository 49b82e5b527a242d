// Attachments from the command line (messaging/attachments.h): `msg send --attach FILE`
// uploads each file in chunks before the message is signed; `msg attachment ID INDEX --out F`
// downloads one chunk by chunk and checks it against the signed hash and size. Neither holds
// a whole file in memory.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "apps/ncbnet/client_flags.h"
#include "core/status.h"
#include "messaging/message.h"

namespace ncbnet::apps {

// Uploads `path` (opens an upload, sends 1 MiB chunks, completes it) and returns the reference
// to sign: its SHA-256, size, file name and a media type guessed from the extension (or
// `media_type` if not empty). A chunk that fails in transport is retried at the offset the hub
// reports. Errors: the hub's (attachment_too_large, too_many_uploads...); kNotFound
// "file_missing".
Result<messaging::AttachmentRef> UploadAttachment(HubClient& hub, const std::string& path,
                                                  const std::string& media_type = "");

// Adds `msg attachment` to `msg`.
void RegisterMsgAttachment(CLI::App& msg, int& exit_code);

}  // namespace ncbnet::apps
