#include "api/console_files.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>
#include <utility>

namespace ncbnet::api {
namespace {

namespace fs = std::filesystem;

struct TypeOf {
  std::string_view extension;
  std::string_view content_type;
};

constexpr TypeOf kTypes[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".woff", "font/woff"},
    {".txt", "text/plain; charset=utf-8"},
};

std::string_view ContentTypeOf(std::string_view path) {
  for (const TypeOf& t : kTypes) {
    if (path.size() > t.extension.size() &&
        path.substr(path.size() - t.extension.size()) == t.extension) {
      return t.content_type;
    }
  }
  return "application/octet-stream";
}

// A page of the console's own router: no extension in its last segment.
bool IsPagePath(std::string_view path) {
  const std::string_view last = path.substr(path.rfind('/') + 1);
  return last.find('.') == std::string_view::npos;
}

HttpResponse Page(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::move(body);
  return r;
}

// What "/public/" says when the public notices page is configured but not built.
HttpResponse PublicNotBuilt() {
  return Page(503,
              "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>ncbnet: no "
              "public page</title></head><body><h1>ncbnet</h1><p>The public notices page's files "
              "are missing from the folder this hub was given (<code>public_dir</code>). Build "
              "them with <code>bash console/build.sh</code> (into "
              "<code>console/dist-public</code>), then restart the hub.</p></body></html>");
}

// What "/" says when there is nothing to serve. It names no server path: the operator's log
// does (hub_runner.cc).
HttpResponse NotBuilt(bool configured) {
  const std::string why =
      configured
          ? "The console's files are missing from the folder this hub was given "
            "(<code>console_dir</code>). Build them with <code>scripts/demo.sh</code>, or "
            "<code>npm --prefix console ci &amp;&amp; npm --prefix console run build</code>, "
            "then restart the hub."
          : "This hub was started without a web console: set <code>console_dir</code> in "
            "its configuration (or <code>--console-dir</code>) to the console's built files.";
  return Page(503,
              "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>ncbnet: no "
              "console</title></head><body><h1>ncbnet</h1><p>" +
                  why +
                  "</p><p>The API is served at <code>/v1/</code> (docs/openapi.yaml).</p>"
                  "</body></html>");
}

Result<std::string> ReadWhole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) {
    return Status::InvalidArgument("console_unreadable", "cannot read " + path.string());
  }
  return bytes;
}

}  // namespace

Result<ConsoleFiles> ConsoleFiles::Load(const std::string& dir, std::string_view mount) {
  ConsoleFiles out;
  out.configured_ = true;
  out.mount_ = std::string(mount);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  std::size_t bytes = 0;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    NCBNET_ASSIGN_OR_RETURN(std::string contents, ReadWhole(it->path()));
    bytes += contents.size();
    if (out.files_.size() >= kMaxFiles || bytes > kMaxBytes) {
      return Status::InvalidArgument("console_too_large",
                                     "the console folder " + dir + " holds more than " +
                                         std::to_string(kMaxFiles) + " files or " +
                                         std::to_string(kMaxBytes >> 20) + " MiB");
    }
    out.files_.emplace("/" + fs::relative(it->path(), dir).generic_string(), std::move(contents));
  }
  if (ec) {
    return Status::InvalidArgument("console_unreadable",
                                   "cannot list " + dir + ": " + ec.message());
  }
  return out;
}

bool ConsoleFiles::Serves(std::string_view method, std::string_view path) {
  return method == "GET" && path != "/v1" && path.rfind("/v1/", 0) != 0;
}

bool ConsoleFiles::Mounts(std::string_view path) const {
  if (mount_.empty()) return true;
  if (path.rfind(mount_, 0) != 0) return false;
  return path.size() == mount_.size() || path[mount_.size()] == '/';
}

void ConsoleFiles::AddPublicPage(ConsoleFiles page) {
  public_page_ = std::make_shared<const ConsoleFiles>(std::move(page));
}

Result<HttpResponse> ConsoleFiles::Answer(std::string_view full_path) const {
  if (public_page_ && public_page_->Mounts(full_path)) return public_page_->Answer(full_path);
  // Under a mount, "/public" and "/public/" are its root and "/public/x" is its "/x".
  std::string_view path = full_path.substr(std::min(mount_.size(), full_path.size()));
  if (path.empty()) path = "/";
  const bool page = path == "/" || IsPagePath(path);
  if (!built()) {
    if (page) return mount_.empty() ? NotBuilt(configured_) : PublicNotBuilt();
    return Status::NotFound("not_found", "no such file");
  }
  const auto file = files_.find(page ? std::string_view("/index.html") : path);
  if (file == files_.end()) return Status::NotFound("not_found", "no such file");
  HttpResponse r;
  r.content_type = std::string(ContentTypeOf(file->first));
  r.body = file->second;
  r.headers.emplace_back("Content-Security-Policy", std::string(kConsoleCsp));
  // Vite names every built asset by its content's hash: a new build is a new name.
  const bool hashed = path.rfind("/assets/", 0) == 0;
  r.headers.emplace_back("Cache-Control",
                         hashed ? "public, max-age=31536000, immutable" : "no-cache");
  return r;
}

}  // namespace ncbnet::api
