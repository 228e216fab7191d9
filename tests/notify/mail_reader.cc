#include "mail_reader.h"  // tests/notify/, also compiled into fuzz/mime_fuzz.cc

#include <cctype>

namespace ucsc::notify::testing {
namespace {

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

// Decodes one encoded word "=?charset?X?text?="; nullopt if `w` is not one.
std::optional<std::pair<std::string, std::string>> DecodeOneWord(std::string_view w) {
  if (!w.starts_with("=?") || !w.ends_with("?=") || w.size() < 8) return std::nullopt;
  std::string_view inner = w.substr(2, w.size() - 4);
  size_t q1 = inner.find('?');
  if (q1 == std::string_view::npos) return std::nullopt;
  size_t q2 = inner.find('?', q1 + 1);
  if (q2 == std::string_view::npos || q2 != q1 + 2) return std::nullopt;
  std::string_view charset = inner.substr(0, q1);
  char enc = static_cast<char>(std::toupper(static_cast<unsigned char>(inner[q1 + 1])));
  std::string_view text = inner.substr(q2 + 1);
  if (!IEquals(charset, "UTF-8"))
    return std::make_pair(std::string(), "charset " + std::string(charset));
  if (text.find('?') != std::string_view::npos || text.find(' ') != std::string_view::npos) {
    return std::make_pair(std::string(), std::string("'?' or space inside an encoded word"));
  }
  if (enc == 'B') return DecodeBase64(text);
  if (enc != 'Q') return std::make_pair(std::string(), std::string("unknown encoding"));
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '_') {
      out.push_back(' ');
    } else if (text[i] == '=') {
      if (i + 2 >= text.size()) {
        return std::make_pair(std::string(), std::string("truncated =XX"));
      }
      int hi = HexValue(text[i + 1]), lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return std::make_pair(std::string(), std::string("bad =XX"));
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return std::make_pair(out, std::string());
}

}  // namespace

std::optional<std::string> Mail::Raw(std::string_view name) const {
  for (const Header& h : headers) {
    if (IEquals(h.name, name)) return h.raw;
  }
  return std::nullopt;
}

int Mail::Count(std::string_view name) const {
  int n = 0;
  for (const Header& h : headers) n += IEquals(h.name, name) ? 1 : 0;
  return n;
}

std::pair<Mail, std::string> ParseMail(std::string_view bytes) {
  Mail mail;
  size_t pos = 0;
  while (true) {
    size_t eol = bytes.find("\r\n", pos);
    if (eol == std::string_view::npos) return {mail, "no blank line after the headers"};
    std::string_view line = bytes.substr(pos, eol - pos);
    pos = eol + 2;
    if (line.empty()) break;
    if (line[0] == ' ' || line[0] == '\t') {
      if (mail.headers.empty()) return {mail, "continuation line before any header"};
      mail.headers.back().raw += std::string(line);  // Unfolding: only the CRLF goes.
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return {mail, "header line without a name: " + std::string(line)};
    }
    mail.headers.push_back(
        {std::string(line.substr(0, colon)), std::string(line.substr(colon + 1))});
  }
  for (Header& h : mail.headers) h.raw = Trim(h.raw);
  mail.body = std::string(bytes.substr(pos));
  return {mail, ""};
}

std::pair<std::string, std::string> DecodeWords(std::string_view raw) {
  std::string out;
  std::string pending_space;
  bool prev_was_word = false;
  size_t i = 0;
  while (i < raw.size()) {
    size_t ws_end = raw.find_first_not_of(" \t", i);
    if (ws_end == std::string_view::npos) ws_end = raw.size();
    std::string_view space = raw.substr(i, ws_end - i);
    if (ws_end == raw.size()) {
      out += std::string(space);
      break;
    }
    size_t tok_end = raw.find_first_of(" \t", ws_end);
    if (tok_end == std::string_view::npos) tok_end = raw.size();
    std::string_view token = raw.substr(ws_end, tok_end - ws_end);
    auto word = DecodeOneWord(token);
    if (word && !word->second.empty()) return {"", word->second};
    bool is_word = word.has_value();
    if (!(is_word && prev_was_word)) out += std::string(space);
    out += is_word ? word->first : std::string(token);
    prev_was_word = is_word;
    i = tok_end;
  }
  return {out, ""};
}

std::pair<std::string, std::string> DecodeQuotedPrintable(std::string_view in) {
  std::string out;
  size_t pos = 0;
  while (pos < in.size()) {
    size_t eol = in.find("\r\n", pos);
    bool has_break = eol != std::string_view::npos;
    if (!has_break) eol = in.size();
    std::string_view line = in.substr(pos, eol - pos);
    if (line.size() > 76) return {"", "quoted-printable line longer than 76"};
    bool soft = false;
    for (size_t i = 0; i < line.size(); ++i) {
      unsigned char c = line[i];
      if (c == '=') {
        if (i + 1 == line.size()) {
          soft = true;
          break;
        }
        if (i + 2 >= line.size()) return {"", "truncated =XX"};
        int hi = HexValue(line[i + 1]), lo = HexValue(line[i + 2]);
        if (hi < 0 || lo < 0) return {"", "bad =XX"};
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
      } else if ((c >= 33 && c <= 126) || c == ' ' || c == '\t') {
        if ((c == ' ' || c == '\t') && i + 1 == line.size()) {
          return {"", "trailing white space in quoted-printable"};
        }
        out.push_back(static_cast<char>(c));
      } else {
        return {"", "raw byte " + std::to_string(c) + " in quoted-printable"};
      }
    }
    if (has_break && !soft) out += "\r\n";
    pos = has_break ? eol + 2 : in.size();
  }
  return {out, ""};
}

std::pair<std::string, std::string> DecodeBase64(std::string_view in) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  int pad = 0;
  for (char ch : in) {
    if (ch == '\r' || ch == '\n') continue;
    int v;
    if (ch >= 'A' && ch <= 'Z') {
      v = ch - 'A';
    } else if (ch >= 'a' && ch <= 'z') {
      v = ch - 'a' + 26;
    } else if (ch >= '0' && ch <= '9') {
      v = ch - '0' + 52;
    } else if (ch == '+') {
      v = 62;
    } else if (ch == '/') {
      v = 63;
    } else if (ch == '=') {
      ++pad;
      continue;
    } else {
      return {"", std::string("bad base64 character '") + ch + "'"};
    }
    if (pad > 0) return {"", "base64 data after padding"};
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return {out, ""};
}

namespace {

std::pair<TextPart, std::string> DecodePart(const Mail& part) {
  TextPart tp;
  tp.content_type = part.Raw("Content-Type").value_or("text/plain");
  std::string cte = part.Raw("Content-Transfer-Encoding").value_or("7bit");
  std::pair<std::string, std::string> d;
  if (IEquals(cte, "quoted-printable")) {
    d = DecodeQuotedPrintable(part.body);
  } else if (IEquals(cte, "base64")) {
    d = DecodeBase64(part.body);
  } else {
    return {tp, "unexpected transfer encoding " + cte};
  }
  if (!d.second.empty()) return {tp, d.second};
  tp.text = d.first;
  return {tp, ""};
}

}  // namespace

std::pair<std::vector<TextPart>, std::string> TextParts(const Mail& mail) {
  std::string ct = mail.Raw("Content-Type").value_or("");
  if (!ct.starts_with("multipart/")) {
    auto [p, err] = DecodePart(mail);
    if (!err.empty()) return {{}, err};
    return {{p}, ""};
  }
  size_t b = ct.find("boundary=\"");
  if (b == std::string::npos) return {{}, "multipart without a quoted boundary"};
  size_t e = ct.find('"', b + 10);
  std::string boundary = ct.substr(b + 10, e - b - 10);
  std::string body = "\r\n" + mail.body;  // So that the first delimiter has its CRLF too.
  std::string delim = "\r\n--" + boundary;
  std::vector<TextPart> parts;
  size_t pos = body.find(delim);
  if (pos == std::string::npos) return {{}, "no first delimiter"};
  while (true) {
    pos += delim.size();
    if (body.compare(pos, 2, "--") == 0) break;  // Close delimiter.
    if (body.compare(pos, 2, "\r\n") != 0) return {{}, "delimiter not followed by CRLF"};
    pos += 2;
    size_t next = body.find(delim, pos);
    if (next == std::string::npos) return {{}, "no closing delimiter"};
    auto [part_mail, perr] = ParseMail(std::string_view(body).substr(pos, next - pos));
    if (!perr.empty()) return {{}, perr};
    auto [p, err] = DecodePart(part_mail);
    if (!err.empty()) return {{}, err};
    parts.push_back(p);
    pos = next;
  }
  return {parts, ""};
}

std::pair<std::vector<std::pair<std::string, std::string>>, std::string> DecodeAddressList(
    std::string_view raw) {
  std::vector<std::pair<std::string, std::string>> out;
  // Split on commas outside quotes and angle brackets.
  std::vector<std::string> items;
  std::string cur;
  bool in_quotes = false;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (in_quotes && c == '\\' && i + 1 < raw.size()) {
      cur.push_back(c);
      cur.push_back(raw[++i]);
      continue;
    }
    if (c == '"') in_quotes = !in_quotes;
    if (c == ',' && !in_quotes) {
      items.push_back(Trim(cur));
      cur.clear();
      continue;
    }
    cur.push_back(c);
  }
  items.push_back(Trim(cur));
  for (const std::string& item : items) {
    size_t lt = item.rfind('<');
    if (lt == std::string::npos) {
      out.emplace_back("", item);
      continue;
    }
    size_t gt = item.find('>', lt);
    if (gt == std::string::npos) return {{}, "unclosed '<'"};
    std::string address = item.substr(lt + 1, gt - lt - 1);
    std::string phrase = Trim(std::string_view(item).substr(0, lt));
    std::string name;
    if (phrase.size() >= 2 && phrase.front() == '"' && phrase.back() == '"') {
      for (size_t i = 1; i + 1 < phrase.size(); ++i) {
        if (phrase[i] == '\\') ++i;
        name.push_back(phrase[i]);
      }
    } else {
      auto [decoded, err] = DecodeWords(phrase);
      if (!err.empty()) return {{}, err};
      name = decoded;
    }
    out.emplace_back(name, address);
  }
  return {out, ""};
}

}  // namespace ucsc::notify::testing
