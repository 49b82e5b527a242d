// The web console's files (console/, docs/console.md), served by the hub on the API's origin at
// "/". Read once when the hub starts: the set is small (about 1 MB), fixed for a deployment, and
// a lookup in memory cannot be steered outside the folder (no "..", no symlink followed later).
//
//   GET /                      index.html
//   GET /assets/index-3f2a.js  the file, if the build made it (hashed names: cached a year)
//   GET /messages/msg_42       index.html: a page of the console's own router
//   GET /nothing.png           404 not_found
//
// The public notices page (console/src/public, docs/console.md) is a second set, mounted at
// "/public": GET /public/ is its index.html, /public/assets/... its files, /public/notices/ntc_1
// a page of its router. In production a public web server serves that build instead, and the
// hub stays on its closed network.
//
// Every answer carries the console's Content-Security-Policy (kConsoleCsp): scripts, styles,
// fonts and images from this origin only, nothing inline, no framing.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "api/http_types.h"
#include "core/status.h"

namespace ncbnet::api {

inline constexpr std::string_view kConsoleCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

class ConsoleFiles {
 public:
  static constexpr std::size_t kMaxFiles = 2000;
  static constexpr std::size_t kMaxBytes = std::size_t{64} << 20;

  // No console: every page says so (the hub was started without console_dir).
  ConsoleFiles() = default;

  // The public notices page's mount point.
  static constexpr std::string_view kPublicMount = "/public";

  // Reads every regular file under `dir`, to be served under `mount` ("" for "/", or
  // kPublicMount). A folder without index.html is no error: the hub serves, and the mount's
  // root says the files are not built (the message names no server path).
  // Errors: kInvalidArgument "console_too_large" past kMaxFiles or kMaxBytes, "console_unreadable".
  static Result<ConsoleFiles> Load(const std::string& dir, std::string_view mount = "");

  // Whether `path` is the console's to answer: a GET that no API route matched and that is not
  // under /v1/ (an API path that matches nothing stays a JSON 404).
  static bool Serves(std::string_view method, std::string_view path);

  // Whether `path` is under this set's mount: everything for "", "/public" and "/public/..."
  // for kPublicMount (not "/publications").
  bool Mounts(std::string_view path) const;

  // The answer to GET `path` (Serves() and Mounts() were true). Errors: kNotFound "not_found"
  // for a file the build did not make.
  Result<HttpResponse> Answer(std::string_view path) const;

  // Answers the paths under `page`'s mount (kPublicMount) from `page` from now on.
  void AddPublicPage(ConsoleFiles page);

  bool built() const { return files_.count("/index.html") > 0; }
  std::size_t size() const { return files_.size(); }

 private:
  std::map<std::string, std::string, std::less<>> files_;  // "/assets/x.js" -> contents
  std::string mount_;                                      // "" or kPublicMount
  bool configured_ = false;
  std::shared_ptr<const ConsoleFiles> public_page_;  // null: /public is the console's path
};

}  // namespace ncbnet::api
