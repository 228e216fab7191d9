// Framework-free request and response, so that the API is tested in-process (the role × endpoint
// matrix runs thousands of requests without sockets) and the HTTP adapter stays thin.
// Thread-safety: values.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ucsc::capability {

struct Request {
  std::string method;  // "GET", "POST", "PATCH", "DELETE"
  std::string path;    // without the query string
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string remote_ip;
  bool tls = false;

  std::string Header(std::string_view name) const;
  // The value of cookie `name`, or "".
  std::string Cookie(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string content_type = "application/json";

  void SetHeader(std::string name, std::string value);
  std::string Header(std::string_view name) const;
};

}  // namespace ucsc::capability
