#include "hunt/hunt.h"

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "hunt/input/csv_event.h"
#include "hunt/input/evtx_parser.h"
#include "hunt/input/input.h"
#include "hunt/input/json_event.h"
#include "hunt/input/record_reader.h"
#include "hunt/input/syslog_event.h"
#include "hunt/input/xml_event.h"
#include "hunt/sigma/correlation.h"
#include "hunt/sigma/filter.h"

namespace ucsc::hunt {
namespace {

constexpr int kMaxErrorsPerInput = 20;

std::string JsonList(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendJsonString(v[i], &out);
  }
  out.push_back(']');
  return out;
}

struct Job {
  std::uint64_t seq = 0;
  int input_idx = 0;
  InputFormat format = InputFormat::kJsonl;
  LineBlock block;    // JSON lines, syslog
  RecordBatch batch;  // EVTX, XML, CSV
  std::string output;
  std::string errors;
  std::uint64_t events = 0;
  std::uint64_t bad = 0;
  std::uint64_t detections = 0;
  std::uint64_t filtered = 0;
  std::vector<BaseDetection> correlated;  // detections that feed correlations, in order
};

// What the workers need besides the plan for filters and correlations (immutable, shared).
struct PostMatch {
  PostMatch(const std::vector<Rule>& rules, const HuntOptions& opts,
            std::vector<std::string>* warnings)
      : map(opts.map),
        filters(rules, opts.map, warnings),
        corr(CorrelationPlan::Build(rules, warnings)),
        printed(rules.size(), true),
        sources(rules.size()) {
    for (std::size_t r = 0; r < rules.size(); ++r) {
      const int ri = static_cast<int>(r);
      printed[r] = corr.Printed(ri) && (!opts.min_level || rules[r].level >= *opts.min_level);
      if (map != nullptr && corr.Feeds(ri) && !rules[r].correlation) {
        sources[r] = map->SourcesForRule(rules[r].logsource);
      }
    }
  }
  // The mapping source under which rule `r` matched `e` (-1 without a map).
  [[nodiscard]] int SourceOf(int r, const Event& e) const {
    if (map == nullptr) return -1;
    std::string_view channel, event_id;
    LogSourceMap::RoutingKeys(e, &channel, &event_id);
    for (int s : sources[static_cast<std::size_t>(r)]) {
      if (map->EventMatches(s, channel, event_id)) return s;
    }
    return -1;
  }
  const LogSourceMap* map;
  FilterSet filters;
  CorrelationPlan corr;
  std::vector<bool> printed;
  std::vector<std::vector<int>> sources;
};

struct Worker {
  Worker(const std::vector<Rule>& r, const Plan& p, const PostMatch& pm, const HuntOptions& o)
      : rules(r), post(pm), extra(o.detection_extra), matcher(p) {}
  const std::vector<Rule>& rules;
  const PostMatch& post;
  const std::function<std::string(std::size_t, const Event&)>& extra;
  JsonEventParser parser;
  XmlEventParser xml_parser;
  CsvEventParser csv_parser;
  EvtxChunkParser evtx_parser;
  std::string evtx_errors;
  Event event;
  Matcher matcher;
  std::vector<int> hits;

  void Process(Job& job, const std::string& input, bool parse_only, int* errors_left) {
    if (job.format == InputFormat::kJsonl || job.format == InputFormat::kSyslog) {
      ProcessLines(job, input, parse_only, errors_left);
    } else {
      ProcessRecords(job, input, parse_only, errors_left);
    }
  }

  void Bad(Job& job, const std::string& input, std::uint64_t record, const std::string& why,
           int* errors_left) {
    ++job.bad;
    if (*errors_left > 0) {
      --*errors_left;
      job.errors += input + ":" + std::to_string(record) + ": " + why + "\n";
    }
  }

  void Matched(Job& job, const std::string& input, bool parse_only) {
    ++job.events;
    if (parse_only) return;
    matcher.Match(event, &hits);
    for (int r : hits) {
      if (!post.filters.Empty() && !post.filters.Keeps(r, event)) {
        ++job.filtered;
        continue;
      }
      if (post.corr.Feeds(r)) {
        BaseDetection d;
        d.rule = r;
        d.input = input;
        d.record = event.record;
        d.timestamp = event.Timestamp();
        post.corr.ExtractValues(event, post.map, post.SourceOf(r, event), &d);
        job.correlated.push_back(std::move(d));
      }
      if (!post.printed[static_cast<std::size_t>(r)]) continue;
      const auto rule = static_cast<std::size_t>(r);
      job.output += DetectionJson(rules[rule], input, event, extra ? extra(rule, event) : "");
      job.output.push_back('\n');
      ++job.detections;
    }
  }

  void ProcessLines(Job& job, const std::string& input, bool parse_only, int* errors_left) {
    const LineBlock& b = job.block;
    const bool syslog = job.format == InputFormat::kSyslog;
    std::size_t pos = 0;
    std::uint64_t line = b.first_line;
    const std::string_view lines(b.data.data(), b.size);
    while (pos < b.size) {
      std::size_t nl = lines.find('\n', pos);
      if (nl == std::string::npos) nl = b.size;
      std::string_view text(b.data.data() + pos, nl - pos);
      if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
      bool blank = true;
      for (char c : text) {
        if (c != ' ' && c != '\t') {
          blank = false;
          break;
        }
      }
      if (!blank) {
        auto st = syslog ? ParseSyslogLine(text, &event)
                         : parser.Parse(text, b.data.size() - pos, &event);
        if (!st) {
          Bad(job, input, line, st.error().message, errors_left);
        } else {
          event.record = line;
          Matched(job, input, parse_only);
        }
      }
      pos = nl + 1;
      ++line;
    }
  }

  // Lines of `errors`, each prefixed with the input name, within the error budget.
  static void AddErrorLines(Job& job, const std::string& input, const std::string& errors,
                            int* errors_left) {
    std::size_t pos = 0;
    while (pos < errors.size() && *errors_left > 0) {
      const std::size_t nl = errors.find('\n', pos);
      const std::size_t end = nl == std::string::npos ? errors.size() : nl + 1;
      job.errors += input + ": ";
      job.errors.append(errors, pos, end - pos);
      --*errors_left;
      pos = end;
    }
  }

  void ProcessRecords(Job& job, const std::string& input, bool parse_only, int* errors_left) {
    const RecordBatch& b = job.batch;
    // Records the reader skipped (damaged EVTX chunks, unterminated XML, open CSV quotes).
    job.bad += b.bad;
    AddErrorLines(job, input, b.errors, errors_left);
    if (job.format == InputFormat::kEvtx) {
      // Each unit is a whole chunk; its records become events here, in record order.
      for (const RecordBatch::Unit& u : b.units) {
        evtx_errors.clear();
        const EvtxChunkResult r = evtx_parser.Parse(
            b.text(u), u.record, b.evtx_verify_crc32, &event,
            [&](Event&) { Matched(job, input, parse_only); }, &evtx_errors);
        job.bad += r.bad;
        AddErrorLines(job, input, evtx_errors, errors_left);
      }
      return;
    }
    for (const RecordBatch::Unit& u : b.units) {
      core::Status st;
      switch (job.format) {
        case InputFormat::kCsv:
          st = b.header ? csv_parser.Parse(b.text(u), *b.header, &event)
                        : core::Status(core::InvalidArgument("CSV without a header"));
          break;
        default:
          st = xml_parser.Parse(b.text(u), &event);
          break;
      }
      if (!st) {
        Bad(job, input, u.record, st.error().message, errors_left);
        continue;
      }
      event.record = u.record;
      Matched(job, input, parse_only);
    }
  }
};

// One open input of any format.
struct InputSource {
  std::unique_ptr<LineBlockReader> lines;
  std::unique_ptr<RecordReader> records;

  core::Result<bool> Next(Job* job, std::size_t target) {
    if (lines) return lines->Next(&job->block, target);
    return records->Next(&job->batch, target);
  }
  std::uint64_t bytes_read() const { return lines ? lines->bytes_read() : records->bytes_read(); }
};

core::Result<InputSource> OpenInput(const std::string& path, InputFormat format) {
  InputSource src;
  core::Result<std::unique_ptr<RecordReader>> rec = std::unique_ptr<RecordReader>();
  switch (format) {
    case InputFormat::kEvtx:
      rec = OpenEvtxReader(path);
      break;
    case InputFormat::kXml:
      rec = OpenXmlEventReader(path);
      break;
    case InputFormat::kCsv:
      rec = OpenCsvReader(path);
      break;
    default: {
      auto lines = OpenLineReader(path);
      if (!lines) return tl::unexpected(lines.error());
      src.lines = std::move(*lines);
      return src;
    }
  }
  if (!rec) return tl::unexpected(rec.error());
  src.records = std::move(*rec);
  return src;
}

// The format of a file from its first bytes (after decompression), or kAuto when unclear.
InputFormat SniffFormat(std::string_view head) {
  if (head.substr(0, 8) == std::string_view("ElfFile\0", 8)) return InputFormat::kEvtx;
  if (head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
  std::size_t i = 0;
  while (i < head.size() &&
         (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t')) {
    ++i;
  }
  if (i == head.size()) return InputFormat::kAuto;
  const std::string_view rest = head.substr(i);
  if (rest[0] == '{') return InputFormat::kJsonl;
  if (rest.substr(0, 5) == "<?xml" || rest.substr(0, 6) == "<Event") return InputFormat::kXml;
  if (rest[0] == '<') return InputFormat::kSyslog;  // <PRI>
  // A CSV header: one line of names separated by commas, no spaces around them.
  const std::string_view first = rest.substr(0, rest.find('\n'));
  if (first.find(',') != std::string_view::npos && first.find(": ") == std::string_view::npos &&
      first.find("  ") == std::string_view::npos) {
    return InputFormat::kCsv;
  }
  return InputFormat::kAuto;
}

InputFormat DetectFormat(const std::string& path) {
  if (path == "-") {  // standard input: by content (its head is kept for the reader)
    const InputFormat sniffed = SniffFormat(PeekFile(path, 4096));
    return sniffed == InputFormat::kAuto ? InputFormat::kJsonl : sniffed;
  }
  std::string ext = std::filesystem::path(path).extension().string();
  std::string stem = path;
  if (ext == ".gz" || ext == ".zst") {
    stem = std::filesystem::path(path).stem().string();
    ext = std::filesystem::path(stem).extension().string();
  }
  ext = AsciiLowerCopy(ext);
  if (ext == ".evtx") return InputFormat::kEvtx;
  if (ext == ".xml") return InputFormat::kXml;
  if (ext == ".csv") return InputFormat::kCsv;
  if (ext == ".json" || ext == ".jsonl" || ext == ".ndjson") return InputFormat::kJsonl;
  if (ext == ".log" || ext == ".syslog") {
    const InputFormat sniffed = SniffFormat(PeekFile(path, 512));
    return sniffed == InputFormat::kJsonl ? sniffed : InputFormat::kSyslog;
  }
  const InputFormat sniffed = SniffFormat(PeekFile(path, 4096));
  return sniffed == InputFormat::kAuto ? InputFormat::kSyslog : sniffed;
}

std::string_view FormatName(InputFormat f) {
  switch (f) {
    case InputFormat::kAuto:
      return "auto";
    case InputFormat::kJsonl:
      return "jsonl";
    case InputFormat::kEvtx:
      return "evtx";
    case InputFormat::kXml:
      return "xml";
    case InputFormat::kCsv:
      return "csv";
    case InputFormat::kSyslog:
      return "syslog";
  }
  return "auto";
}

}  // namespace

std::optional<InputFormat> ParseInputFormat(std::string_view name) {
  for (InputFormat f : {InputFormat::kAuto, InputFormat::kJsonl, InputFormat::kEvtx,
                        InputFormat::kXml, InputFormat::kCsv, InputFormat::kSyslog}) {
    if (FormatName(f) == name) return f;
  }
  return std::nullopt;
}

std::string DetectionJson(const Rule& rule, std::string_view input, const Event& e,
                          std::string_view extra) {
  std::string s;
  s.reserve(512 + e.bytes() * 2);
  s += "{\"rule_id\":";
  s += JsonString(rule.id);
  s += ",\"rule_title\":";
  s += JsonString(rule.title);
  s += ",\"level\":";
  s += JsonString(LevelName(rule.level));
  s += ",\"tags\":";
  s += JsonList(rule.tags);
  s += ",\"rule_author\":";
  s += JsonString(rule.author);
  s += ",\"rule_references\":";
  s += JsonList(rule.references);
  s += ",\"input\":";
  s += JsonString(input);
  s += ",\"record\":";
  s += std::to_string(e.record);
  s += ",\"timestamp\":";
  const std::string ts = e.Timestamp();
  s += ts.empty() ? std::string("null") : JsonString(ts);
  s += ",\"event\":";
  e.AppendJson(&s);
  s += extra;
  s += "}";
  return s;
}

HuntStats RunHunt(const std::vector<Rule>& rules, const Plan& plan, const HuntOptions& opts,
                  std::ostream& out, std::ostream& err) {
  HuntStats stats;
  std::vector<std::string> missing;
  const std::vector<std::string> files = ExpandInputPaths(opts.inputs, &missing);
  for (const auto& m : missing) stats.input_errors.push_back(m + ": no such file or directory");

  const int threads = std::max(1, opts.threads);
  std::mutex mu;
  std::condition_variable cv_work, cv_done;
  std::deque<std::unique_ptr<Job>> queue;              // GUARDED_BY(mu)
  std::map<std::uint64_t, std::unique_ptr<Job>> done;  // GUARDED_BY(mu)
  bool closing = false;                                // GUARDED_BY(mu)
  std::vector<int> errors_left(files.size(), kMaxErrorsPerInput);
  std::vector<std::uint64_t> bad_per_input(files.size(), 0);
  std::uint64_t next_write = 0;
  std::uint64_t next_seq = 0;
  std::vector<std::unique_ptr<Job>> pool;

  const PostMatch post(rules, opts, &stats.rule_warnings);
  CorrelationOptions corr_opts;
  corr_opts.max_lateness_ms = opts.correlation_lateness_ms;
  CorrelationEvaluator correlations(post.corr, corr_opts);
  std::vector<CorrelationDetection> fired;
  auto print_fired = [&] {
    for (const auto& d : fired) {
      if (!post.printed[static_cast<std::size_t>(d.rule)]) continue;
      out << CorrelationDetectionJson(rules, d) << '\n';
      ++stats.correlation_detections;
    }
    fired.clear();
  };

  auto write_job = [&](Job& j) {
    out << j.output;
    for (const auto& d : j.correlated) correlations.Add(d, &fired);
    j.correlated.clear();
    print_fired();
    stats.filtered += j.filtered;
    int& left = errors_left[static_cast<std::size_t>(j.input_idx)];
    std::size_t pos = 0;
    while (pos < j.errors.size() && left > 0) {
      const std::size_t nl = j.errors.find('\n', pos);
      const std::size_t end = nl == std::string::npos ? j.errors.size() : nl + 1;
      err.write(j.errors.data() + pos, static_cast<std::streamsize>(end - pos));
      pos = end;
      --left;
    }
    stats.events += j.events;
    stats.bad_records += j.bad;
    stats.detections += j.detections;
    bad_per_input[static_cast<std::size_t>(j.input_idx)] += j.bad;
  };

  std::vector<std::thread> workers;
  std::unique_ptr<Worker> inline_worker;
  if (threads == 1) {
    inline_worker = std::make_unique<Worker>(rules, plan, post, opts);
  } else {
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&] {
        Worker w(rules, plan, post, opts);
        while (true) {
          std::unique_ptr<Job> job;
          {
            std::unique_lock<std::mutex> lock(mu);
            cv_work.wait(lock, [&] { return closing || !queue.empty(); });
            if (queue.empty()) return;
            job = std::move(queue.front());
            queue.pop_front();
          }
          // Error budget per input is approximate across threads (each block gets a share).
          int budget = kMaxErrorsPerInput;
          w.Process(*job, files[static_cast<std::size_t>(job->input_idx)], opts.parse_only,
                    &budget);
          {
            std::lock_guard<std::mutex> lock(mu);
            done.emplace(job->seq, std::move(job));
          }
          cv_done.notify_all();
        }
      });
    }
  }
  const std::size_t max_in_flight = static_cast<std::size_t>(threads) * 2;
  // Writes finished jobs in order; with `wait_for_room`, blocks until fewer than max are pending.
  auto drain = [&](bool wait_for_room, bool wait_all) {
    std::unique_lock<std::mutex> lock(mu);
    while (true) {
      while (!done.empty() && done.begin()->first == next_write) {
        std::unique_ptr<Job> j = std::move(done.begin()->second);
        done.erase(done.begin());
        lock.unlock();
        write_job(*j);
        j->output.clear();
        j->errors.clear();
        lock.lock();
        pool.push_back(std::move(j));
        ++next_write;
      }
      const std::uint64_t pending = next_seq - next_write;
      if (wait_all ? pending == 0 : (!wait_for_room || pending < max_in_flight)) return;
      cv_done.wait(lock);
    }
  };

  std::uint64_t bytes_before = 0;
  for (std::size_t fi = 0; fi < files.size(); ++fi) {
    const std::string& path = files[fi];
    InputFormat fmt = opts.format == InputFormat::kAuto ? DetectFormat(path) : opts.format;
    auto reader = OpenInput(path, fmt);
    if (!reader) {
      stats.input_errors.push_back(reader.error().message);
      continue;
    }
    while (true) {
      std::unique_ptr<Job> job;
      {
        std::lock_guard<std::mutex> lock(mu);
        if (!pool.empty()) {
          job = std::move(pool.back());
          pool.pop_back();
        }
      }
      if (!job) job = std::make_unique<Job>();
      job->events = job->bad = job->detections = job->filtered = 0;
      auto more = reader->Next(job.get(), opts.block_bytes);
      if (!more) {
        stats.input_errors.push_back(path + ": " + more.error().message);
        break;
      }
      if (!*more) break;
      job->seq = next_seq++;
      job->input_idx = static_cast<int>(fi);
      job->format = fmt;
      if (inline_worker) {
        int budget = kMaxErrorsPerInput;
        inline_worker->Process(*job, path, opts.parse_only, &budget);
        write_job(*job);
        job->output.clear();
        job->errors.clear();
        pool.push_back(std::move(job));
        ++next_write;
      } else {
        {
          std::lock_guard<std::mutex> lock(mu);
          queue.push_back(std::move(job));
        }
        cv_work.notify_one();
        drain(true, false);
      }
      if (opts.progress) opts.progress(bytes_before + reader->bytes_read());
    }
    bytes_before += reader->bytes_read();
  }
  if (!inline_worker) {
    drain(false, true);
    {
      std::lock_guard<std::mutex> lock(mu);
      closing = true;
    }
    cv_work.notify_all();
    for (auto& t : workers) t.join();
  }
  correlations.Flush(&fired);
  print_fired();
  stats.correlation_untimed = correlations.Stats().untimed;
  stats.correlation_late = correlations.Stats().late;
  stats.correlation_restarts = correlations.Stats().restarts;
  stats.bytes = bytes_before;
  for (std::size_t fi = 0; fi < files.size(); ++fi) {
    if (bad_per_input[fi] > static_cast<std::uint64_t>(kMaxErrorsPerInput)) {
      err << files[fi] << ": " << bad_per_input[fi] << " bad records in total\n";
    }
  }
  out.flush();
  return stats;
}

}  // namespace ucsc::hunt
