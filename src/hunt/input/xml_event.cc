#include "hunt/input/xml_event.h"

#include <pugixml.hpp>

#include "hunt/input/json_event.h"

namespace ucsc::hunt {
namespace {

constexpr int kMaxDepth = 32;

std::string_view LocalName(const char* name) {
  std::string_view n(name);
  const std::size_t colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

struct XmlEventParser::Impl {
  pugi::xml_document doc;
  std::string path;
  std::string name;

  void Emit(Event* out, std::string_view v) { out->Add(NormaliseFieldName(path, &name), v); }

  // Element `node` whose JSON path is `path`.
  void Walk(const pugi::xml_node& node, Event* out, int depth, bool in_event_data) {
    if (depth >= kMaxDepth) return;
    const std::size_t base = path.size();
    bool has_attributes = false;
    for (const pugi::xml_attribute& a : node.attributes()) {
      has_attributes = true;
      path.resize(base);
      path += ".#attributes.";
      path += LocalName(a.name());
      Emit(out, a.value());
    }
    path.resize(base);
    bool has_children = false;
    std::string_view text;
    for (const pugi::xml_node& child : node.children()) {
      if (child.type() == pugi::node_element) {
        has_children = true;
        const std::string_view local = LocalName(child.name());
        path.resize(base);
        path.push_back('.');
        const bool data = in_event_data && local == "Data";
        const pugi::xml_attribute data_name =
            data ? child.attribute("Name") : pugi::xml_attribute();
        if (data_name) {
          // <Data Name="X">v</Data> -> X = v (also empty); other attributes of Data are dropped.
          path += data_name.value();
          Emit(out, child.child_value());
          continue;
        }
        path += local;
        if (data) {
          // Unnamed <Data>: one value per element, empty included (evtx_dump's #text array).
          Emit(out, child.child_value());
          continue;
        }
        Walk(child, out, depth + 1, depth == 0 && (local == "EventData"));
      } else if ((child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) &&
                 text.empty()) {
        text = child.value();
      }
    }
    path.resize(base);
    if (!has_children && !text.empty()) {
      bool blank = true;
      for (char c : text) {
        if (!IsSpace(c)) {
          blank = false;
          break;
        }
      }
      if (!blank || !has_attributes) Emit(out, text);
    }
  }
};

XmlEventParser::XmlEventParser() : impl_(std::make_unique<Impl>()) {
  impl_->path.reserve(256);
  impl_->name.reserve(256);
}

XmlEventParser::~XmlEventParser() = default;

core::Status XmlEventParser::Parse(std::string_view xml, Event* out) {
  out->Clear();
  const pugi::xml_parse_result r =
      impl_->doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!r) {
    return core::InvalidArgument(std::string("invalid XML at byte ") + std::to_string(r.offset) +
                                 ": " + r.description());
  }
  const pugi::xml_node root = impl_->doc.document_element();
  if (!root || LocalName(root.name()) != "Event") {
    return core::InvalidArgument("the XML root element is not <Event>");
  }
  impl_->path.assign("Event");
  impl_->Walk(root, out, 0, false);
  return core::Ok();
}

std::size_t FindXmlEvent(std::string_view text, std::size_t from, std::size_t* start) {
  std::size_t pos = from;
  while (true) {
    const std::size_t s = text.find("<Event", pos);
    if (s == std::string_view::npos || s + 6 >= text.size()) return std::string_view::npos;
    const char c = text[s + 6];
    if (!(IsSpace(c) || c == '>' || c == '/')) {
      pos = s + 6;
      continue;
    }
    const std::size_t gt = text.find('>', s + 6);
    if (gt == std::string_view::npos) return std::string_view::npos;
    *start = s;
    if (text[gt - 1] == '/') return gt + 1;  // <Event/>
    const std::size_t end = text.find("</Event>", gt + 1);
    if (end == std::string_view::npos) return std::string_view::npos;
    return end + 8;
  }
}

}  // namespace ucsc::hunt
