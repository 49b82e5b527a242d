#include "api/router.h"

#include "core/check.h"

namespace ncbnet::api {

bool IsParamValue(std::string_view v) {
  if (v.empty() || v.size() > 128) return false;
  for (char c : v) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t next = path.find('/', pos);
    if (next == std::string_view::npos) next = path.size();
    parts.push_back(path.substr(pos, next - pos));
    pos = next + 1;
  }
  return parts;
}

bool MatchPattern(std::string_view pattern, std::string_view path,
                  std::map<std::string, std::string>& params) {
  const auto want = Split(pattern);
  const auto got = Split(path);
  if (want.size() != got.size()) return false;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (want[i].size() > 2 && want[i].front() == '{' && want[i].back() == '}') {
      if (!IsParamValue(got[i])) return false;
      params[std::string(want[i].substr(1, want[i].size() - 2))] = std::string(got[i]);
    } else if (want[i] != got[i]) {
      return false;
    }
  }
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> Decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%') {
      if (i + 2 >= s.size()) {
        return Status::InvalidArgument("invalid_query", "truncated %-escape in query");
      }
      const int hi = HexValue(s[i + 1]);
      const int lo = HexValue(s[i + 2]);
      if (hi < 0 || lo < 0) return Status::InvalidArgument("invalid_query", "bad %-escape");
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

std::string_view ToString(Access access) {
  switch (access) {
    case Access::kPublic:
      return "public";
    case Access::kAuthenticated:
      return "authenticated";
    case Access::kCapability:
      return "capability";
  }
  return "?";
}

std::string_view ToString(Caller caller) {
  switch (caller) {
    case Caller::kAny:
      return "any";
    case Caller::kSession:
      return "session";
    case Caller::kCertificate:
      return "certificate";
    case Caller::kGs:
      return "gs";
  }
  return "?";
}

std::string_view ToString(Scope scope) {
  switch (scope) {
    case Scope::kUndeclared:
      return "undeclared";
    case Scope::kHub:
      return "hub";
    case Scope::kNetwork:
      return "network";
    case Scope::kOwn:
      return "own";
    case Scope::kBranch:
      return "branch";
    case Scope::kRecords:
      return "records";
    case Scope::kMessages:
      return "messages";
    case Scope::kNotices:
      return "notices";
    case Scope::kHits:
      return "hits";
    case Scope::kMla:
      return "mla";
    case Scope::kPublished:
      return "published";
  }
  return "?";
}

void Router::Add(Route route) {
  NCBNET_CHECK(route.scope != Scope::kUndeclared, "a route must declare its scope");
  NCBNET_CHECK((route.access == Access::kCapability) == !route.capability.empty(),
               "a capability route names its capability, and only it names one");
  NCBNET_CHECK(route.access != Access::kPublic || route.caller == Caller::kAny,
               "a public route has no caller rule");
  routes_.push_back(std::move(route));
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Match m;
  for (const Route& r : routes_) {
    std::map<std::string, std::string> params;
    if (!MatchPattern(r.pattern, path, params)) continue;
    m.path_matched = true;
    if (r.method == method) {
      m.route = &r;
      m.params = std::move(params);
      return m;
    }
  }
  return m;
}

Result<std::map<std::string, std::string>> ParseQuery(std::string_view query) {
  std::map<std::string, std::string> out;
  std::size_t pos = 0;
  int pairs = 0;
  while (pos < query.size()) {
    std::size_t amp = query.find('&', pos);
    if (amp == std::string_view::npos) amp = query.size();
    const std::string_view pair = query.substr(pos, amp - pos);
    pos = amp + 1;
    if (pair.empty()) continue;
    if (++pairs > 32) return Status::InvalidArgument("invalid_query", "too many query parameters");
    const std::size_t eq = pair.find('=');
    const std::string_view key = pair.substr(0, eq);
    const std::string_view value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
    NCBNET_ASSIGN_OR_RETURN(std::string k, Decode(key));
    NCBNET_ASSIGN_OR_RETURN(std::string v, Decode(value));
    out[std::move(k)] = std::move(v);
  }
  return out;
}

}  // namespace ncbnet::api
