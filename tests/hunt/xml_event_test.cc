// Windows event XML (xml_event.h) and the XML file reader (record_reader.h).
#include "hunt/input/xml_event.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "hunt/input/json_event.h"
#include "hunt/input/record_reader.h"

namespace ucsc::hunt {
namespace {

std::string Get(const Event& e, std::string_view name) {
  std::string_view v;
  return e.Find(name, &v) ? std::string(v) : std::string("<missing>");
}

std::vector<std::pair<std::string, std::string>> Fields(const Event& e) {
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t i = 0; i < e.size(); ++i) out.emplace_back(e.name(i), e.value(i));
  std::sort(out.begin(), out.end());
  return out;
}

constexpr const char* kXml =
    R"(<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">
  <System>
    <Provider Name="Microsoft-Windows-Sysmon" Guid="{5770385f-c22a-43e0-bf4c-06f5698ffbd9}"/>
    <EventID Qualifiers="16384">1</EventID>
    <TimeCreated SystemTime="2020-06-10T02:50:54.6310000Z"/>
    <EventRecordID>42</EventRecordID>
    <Correlation/>
    <Execution ProcessID="1" ThreadID="2"/>
    <Channel>Microsoft-Windows-Sysmon/Operational</Channel>
    <Computer>pc1</Computer>
    <Security UserID="S-1-5-18"/>
  </System>
  <EventData>
    <Data Name="Image">C:\w\cmd.exe</Data>
    <Data Name="CommandLine">cmd /c "whoami" &amp; echo &lt;x&gt;</Data>
    <Data Name="Empty"/>
  </EventData>
</Event>)";

// The same event as evtx_dump's JSON.
constexpr const char* kJson =
    R"({"Event":{"#attributes":{"xmlns":"http://schemas.microsoft.com/win/2004/08/events/event"},
  "System":{"Provider":{"#attributes":{"Name":"Microsoft-Windows-Sysmon","Guid":"{5770385f-c22a-43e0-bf4c-06f5698ffbd9}"}},
  "EventID":{"#attributes":{"Qualifiers":"16384"},"#text":"1"},
  "TimeCreated":{"#attributes":{"SystemTime":"2020-06-10T02:50:54.6310000Z"}},
  "EventRecordID":"42","Correlation":null,"Execution":{"#attributes":{"ProcessID":"1","ThreadID":"2"}},
  "Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"pc1",
  "Security":{"#attributes":{"UserID":"S-1-5-18"}}},
  "EventData":{"Image":"C:\\w\\cmd.exe","CommandLine":"cmd /c \"whoami\" & echo <x>","Empty":""}}})";

TEST(XmlEvent, SameFieldsAsTheJsonOfTheSameEvent) {
  XmlEventParser xml;
  Event from_xml;
  auto st = xml.Parse(kXml, &from_xml);
  ASSERT_TRUE(st.has_value()) << st.error().message;
  JsonEventParser json;
  Event from_json;
  ASSERT_TRUE(json.Parse(kJson, 0, &from_json).has_value());
  EXPECT_EQ(Fields(from_xml), Fields(from_json));
  EXPECT_EQ(Get(from_xml, "EventID"), "1");
  EXPECT_EQ(Get(from_xml, "Qualifiers"), "16384");
  EXPECT_EQ(Get(from_xml, "Provider_Name"), "Microsoft-Windows-Sysmon");
  EXPECT_EQ(Get(from_xml, "CommandLine"), "cmd /c \"whoami\" & echo <x>");
  EXPECT_EQ(Get(from_xml, "Empty"), "");
  EXPECT_EQ(Get(from_xml, "Correlation"), "<missing>");
  EXPECT_EQ(from_xml.Timestamp(), "2020-06-10T02:50:54.631Z");
}

TEST(XmlEvent, UnnamedDataUserDataAndPrefixes) {
  XmlEventParser p;
  Event e;
  ASSERT_TRUE(p.Parse(R"(<e:Event xmlns:e="x"><e:System><e:EventID>104</e:EventID></e:System>
    <e:UserData><LogFileCleared><SubjectUserName>bob</SubjectUserName></LogFileCleared></e:UserData>
    <e:EventData><e:Data>a</e:Data><e:Data></e:Data><e:Binary>00FF</e:Binary></e:EventData></e:Event>)",
                      &e)
                  .has_value());
  EXPECT_EQ(Get(e, "EventID"), "104");
  EXPECT_EQ(Get(e, "SubjectUserName"), "bob");
  EXPECT_EQ(Get(e, "Binary"), "00FF");
  std::vector<std::string> data;
  for (std::size_t i = 0; i < e.size(); ++i) {
    if (e.name(i) == "Data") data.emplace_back(e.value(i));
  }
  EXPECT_EQ(data, (std::vector<std::string>{"a", ""}));
}

TEST(XmlEvent, HexValuesKeptAsWritten) {
  XmlEventParser p;
  Event e;
  const char* xml =
      R"(<Event><EventData><Data Name="L">0x00000000000003e7</Data><Data Name="T">0x00000000000003eg</Data></EventData></Event>)";
  ASSERT_TRUE(p.Parse(xml, &e).has_value());
  EXPECT_EQ(Get(e, "L"), "0x00000000000003e7");
  EXPECT_EQ(Get(e, "T"), "0x00000000000003eg");
}

TEST(XmlEvent, BadXmlIsAnErrorNotACrash) {
  XmlEventParser p;
  Event e;
  auto st = p.Parse("<Event><System></Event>", &e);
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(st.error().message.find("invalid XML at byte"), std::string::npos);
  st = p.Parse("<Other/>", &e);
  ASSERT_FALSE(st.has_value());
  EXPECT_NE(st.error().message.find("not <Event>"), std::string::npos);
  EXPECT_FALSE(p.Parse("", &e).has_value());
  // Deep nesting is cut off, not recursed without bound.
  std::string deep = "<Event>";
  for (int i = 0; i < 200; ++i) deep += "<a>";
  deep += "x";
  for (int i = 0; i < 200; ++i) deep += "</a>";
  deep += "</Event>";
  EXPECT_TRUE(p.Parse(deep, &e).has_value());
  EXPECT_EQ(e.size(), 0u);
}

TEST(XmlEvent, FindXmlEventSkipsEventsAndEventData) {
  const std::string text =
      "<Events>\n<Event a='1'><EventData/></Event>\n<Event/>\n<EventX></EventX><Event>";
  std::size_t start = 0;
  std::size_t end = FindXmlEvent(text, 0, &start);
  ASSERT_NE(end, std::string::npos);
  EXPECT_EQ(text.substr(start, end - start), "<Event a='1'><EventData/></Event>");
  end = FindXmlEvent(text, end, &start);
  ASSERT_NE(end, std::string::npos);
  EXPECT_EQ(text.substr(start, end - start), "<Event/>");
  EXPECT_EQ(FindXmlEvent(text, end, &start), std::string::npos);  // the last is incomplete
}

std::string WriteTemp(const std::string& name, const std::string& text) {
  const std::string path = (std::filesystem::temp_directory_path() / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

TEST(XmlEventReader, EventsFileWithLineNumbersAndAnUnterminatedTail) {
  std::string text = "<?xml version=\"1.0\"?>\n<Events>\n";
  for (int i = 0; i < 3000; ++i) {
    text += "<Event><System><EventID>" + std::to_string(i) +
            "</EventID>\n<Channel>Security</Channel></System></Event>\n";
  }
  text += "</Events>\n<Event><System>";
  const std::string path = WriteTemp("ucsc_xml_reader_test.xml", text);
  auto reader = OpenXmlEventReader(path);
  ASSERT_TRUE(reader.has_value());
  RecordBatch batch;
  XmlEventParser p;
  Event e;
  std::uint64_t events = 0, bad = 0;
  std::string errors;
  while (true) {
    auto more = (*reader)->Next(&batch, 4096);  // many small batches
    ASSERT_TRUE(more.has_value());
    if (!*more) break;
    bad += batch.bad;
    errors += batch.errors;
    for (const auto& u : batch.units) {
      ASSERT_TRUE(p.Parse(batch.text(u), &e).has_value());
      EXPECT_EQ(Get(e, "EventID"), std::to_string(events));
      EXPECT_EQ(u.record, 3 + 2 * events);  // 1-based line of the <Event>
      ++events;
    }
  }
  EXPECT_EQ(events, 3000u);
  EXPECT_EQ(bad, 1u);
  EXPECT_NE(errors.find("line 6004: unterminated <Event>"), std::string::npos) << errors;
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace ucsc::hunt
