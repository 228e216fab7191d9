#include "incident/workflow.h"

#include <algorithm>

namespace ucsc::incident {
namespace {

Workflow MakeNormal() {
  Workflow w;
  w.kind = ProcessKind::kNormal;
  w.title = {"Quy trình ứng cứu sự cố thông thường", "Normal-incident process"};
  w.basis = "Thông tư 20/2017/TT-BTTTT, Điều 11";
  w.response_ends_after = 3;
  w.steps = {
      {1,
       {"Tiếp nhận, phân tích, ứng cứu ban đầu và thông báo sự cố",
        "Receive, analyse, initial response and notify"},
       {{"1.a",
         {"Tiếp nhận, xác minh sự cố, thu thập chứng cứ, xác định nguồn gốc",
          "Receive and verify, collect evidence, find the source"}},
        {"1.b",
         {"Triển khai các bước ưu tiên ứng cứu ban đầu theo phương án đã phê duyệt",
          "Priority first steps per the approved plan"}},
        {"1.c", {"Lựa chọn phương án ứng cứu", "Choose the response option"}},
        {"1.d",
         {"Ban Chỉ đạo cấp tỉnh chỉ đạo (khi cần): triệu tập đội ứng cứu, người phát ngôn",
          "Provincial steering committee directs if needed (team, spokesperson)"},
         false},
        {"1.đ", {"Báo cáo, thông báo sự cố theo Điều 9", "Report and notify per Art 9"}},
        {"1.e",
         {"Điều phối của Ban Chỉ đạo cấp tỉnh và cơ quan điều phối quốc gia (khi cần)",
          "Coordination by the provincial committee and the national agency (if needed)"},
         false}}},
      {2,
       {"Triển khai ứng cứu, ngăn chặn, xử lý sự cố", "Respond, contain, handle"},
       {{"2.a",
         {"Thu thập chứng cứ, xác định phạm vi, đối tượng bị ảnh hưởng",
          "Evidence, scope and affected objects"}},
        {"2.b", {"Truy tìm nguồn gốc tấn công", "Trace the source"}, false},
        {"2.c", {"Ngăn chặn sự cố", "Contain the incident"}}}},
      {3,
       {"Xử lý sự cố, gỡ bỏ và khôi phục", "Handle, eradicate, restore"},
       {{"3.a", {"Gỡ bỏ mã độc, khắc phục điểm yếu", "Remove malware, fix weaknesses"}},
        {"3.b",
         {"Khôi phục dữ liệu, kết nối; tăng cường bảo vệ, bổ sung biện pháp",
          "Restore data and connections, harden, add controls"}},
        {"3.c",
         {"Kiểm tra, đánh giá toàn bộ hệ thống sau khắc phục",
          "Test and evaluate the whole system"}}}},
      {4,
       {"Tổng kết, đánh giá", "Review, lessons learned"},
       {{"4.a",
         {"Tổng hợp báo cáo gửi chủ quản, Ban Chỉ đạo cấp tỉnh, cơ quan điều phối quốc gia",
          "Consolidate reports to owner, provincial committee, national agency"}},
        {"4.b", {"Xác định nguyên nhân", "Root cause"}},
        {"4.c", {"Rút kinh nghiệm", "Lessons learned"}}}},
  };
  return w;
}

Workflow MakeSerious() {
  Workflow w;
  w.kind = ProcessKind::kSerious;
  w.title = {"Quy trình ứng cứu sự cố nghiêm trọng", "Serious-incident procedure"};
  w.basis = "Quyết định 05/2017/QĐ-TTg, Điều 14";
  w.response_ends_after = 5;
  w.steps = {
      {1,
       {"Phát hiện, tiếp nhận sự cố", "Detect or receive"},
       {{"1.a", {"Tiếp nhận, ghi nhận thông tin sự cố", "Receive and record the incident"}}}},
      {2,
       {"Xác minh, phân tích, phân loại sự cố", "Verify, analyse, classify"},
       {{"2.a",
         {"Xác định tình trạng, mức độ, phạm vi, đối tượng, vị trí",
          "Status, severity, scope, object, location"}},
        {"2.b", {"Phân loại sự cố theo Điều 9", "Classify per Art 9"}}}},
      {3,
       {"Cơ quan thường trực lựa chọn phương án, triệu tập bộ phận tác nghiệp",
        "Standing agency picks the plan and convenes the operations group"},
       {{"3.a", {"Lựa chọn phương án ứng cứu", "Plan chosen"}},
        {"3.b", {"Triệu tập bộ phận tác nghiệp ứng cứu khẩn cấp", "Operations group convened"}}}},
      {4,
       {"Ứng cứu ban đầu", "Initial response"},
       {{"4.a",
         {"Xác định phạm vi, mục tiêu, ưu tiên (khôi phục, bảo mật, toàn vẹn)",
          "Scope, targets, priorities (restore, confidentiality, integrity)"}},
        {"4.b", {"Xác định phương thức tấn công, dự báo diễn biến", "Attack method and forecast"}},
        {"4.c", {"Cảnh báo mạng lưới ứng cứu sự cố", "Alert the network"}},
        {"4.d",
         {"Khôi phục tạm thời, hạn chế thiệt hại ban đầu",
          "Temporary restoration, first damage control"}},
        {"4.đ",
         {"Ngăn chặn nguồn tấn công, chuyển chứng cứ cho Bộ Công an",
          "Block sources, hand evidence to MPS"}}}},
      {5,
       {"Triển khai ứng cứu khẩn cấp", "Emergency response"},
       {{"5.a",
         {"Chỉ đạo, điều phối, phát ngôn, thu thập thông tin, giám sát",
          "Direction, coordination, spokesperson, information, monitoring"}},
        {"5.b", {"Sao lưu dữ liệu trước và sau xử lý", "Backup before and after"}},
        {"5.c",
         {"Gỡ bỏ mã độc, khôi phục hệ thống, tăng cường cấu hình",
          "Kill malware, restore, harden configuration"}},
        {"5.d",
         {"Kiểm tra toàn diện, khắc phục điểm yếu, bổ sung biện pháp",
          "Full test, fix weaknesses, add controls"}},
        {"5.đ", {"Theo dõi khả năng tái diễn", "Watch for recurrence"}},
        {"5.e",
         {"Xác định nguyên nhân, nguồn gốc: mục tiêu, phương thức, thời gian, thiệt hại, đối tượng",
          "Root cause and attribution: target, TTPs, time, damage, attacker"}}}},
      {6,
       {"Ban Chỉ đạo quốc gia đánh giá kết quả", "Evaluation by the National Steering Committee"},
       {{"6.a", {"Đánh giá kết quả ứng cứu", "Evaluate the response"}}}},
      {7,
       {"Kết thúc ứng cứu khẩn cấp", "Closure"},
       {{"7.a", {"Lưu trữ hồ sơ", "Archive"}},
        {"7.b", {"Rút kinh nghiệm, kiến nghị", "Lessons and recommendations"}},
        {"7.c", {"Báo cáo, thông tin báo chí (khi cần)", "Reports and press (if needed)"}, false}}},
  };
  return w;
}

const StepDef& StepOf(const Workflow& w, int step) {
  return w.steps[static_cast<size_t>(step) - 1];
}

bool Done(const Incident& inc, const std::string& id) {
  return std::find(inc.checklist_done.begin(), inc.checklist_done.end(), id) !=
         inc.checklist_done.end();
}

core::Status RequiredItemsDone(const Incident& inc, const StepDef& step) {
  for (const auto& item : step.checklist) {
    if (item.required && !Done(inc, item.id)) {
      return core::MakeError(core::ErrorCode::kFailedPrecondition,
                             "step " + std::to_string(step.number) + " has an open required item " +
                                 item.id + " (" + item.text.en + ")",
                             "/checklist_done");
    }
  }
  return core::Ok();
}

// The step number an item id names ("12.b" → 12), 0 when malformed.
int StepOfItem(std::string_view id) {
  const auto dot = id.find('.');
  if (dot == std::string_view::npos || dot == 0) return 0;
  int n = 0;
  for (char c : id.substr(0, dot)) {
    if (c < '0' || c > '9') return 0;
    n = n * 10 + (c - '0');
  }
  return n;
}

Event Make(EventKind kind, core::Instant now, const Command& cmd, std::string ref = {},
           std::string detail = {}) {
  return Event{kind, now, std::move(ref), cmd.actor, std::move(detail)};
}

core::Status Precondition(std::string message, std::string field = {}) {
  return core::MakeError(core::ErrorCode::kFailedPrecondition, std::move(message),
                         std::move(field));
}

}  // namespace

const Workflow& WorkflowFor(ProcessKind kind) {
  static const Workflow kNormal = MakeNormal();
  static const Workflow kSerious = MakeSerious();
  return kind == ProcessKind::kSerious ? kSerious : kNormal;
}

std::string_view ActionName(Action a) {
  switch (a) {
    case Action::kCheckItem:
      return "check_item";
    case Action::kCompleteStep:
      return "complete_step";
    case Action::kClose:
      return "close";
    case Action::kReopen:
      return "reopen";
    case Action::kChangeProcess:
      return "change_process";
  }
  return "unknown";
}

std::vector<Action> AllowedActions(const Incident& inc) {
  if (inc.state == IncidentState::kClosed) return {Action::kReopen};
  const Workflow& w = WorkflowFor(inc.process);
  std::vector<Action> out{Action::kCheckItem};
  const bool items_done = static_cast<bool>(RequiredItemsDone(inc, StepOf(w, inc.step)));
  const bool last = inc.step == static_cast<int>(w.steps.size());
  if (items_done && !last) out.push_back(Action::kCompleteStep);
  if (items_done && last && core::ToUnixMillis(inc.closing_report.reported_at) != 0) {
    out.push_back(Action::kClose);
  }
  if (inc.state == IncidentState::kOpen) out.push_back(Action::kChangeProcess);
  return out;
}

core::Result<Transition> Apply(const Incident& inc, const Command& cmd, core::Instant now) {
  Transition t{inc, {}};
  Incident& next = t.next;
  const Workflow& w = WorkflowFor(inc.process);
  const int last = static_cast<int>(w.steps.size());
  if (inc.step < 1 || inc.step > last) {
    return core::InvalidArgument("step " + std::to_string(inc.step) + " is not a step of the " +
                                     std::string(ProcessKindName(inc.process)) + " process",
                                 "/step");
  }
  if (inc.state == IncidentState::kClosed && cmd.action != Action::kReopen) {
    return tl::unexpected(
        Precondition("the incident is closed; reopen it first", "/state").error());
  }
  switch (cmd.action) {
    case Action::kCheckItem: {
      const int item_step = StepOfItem(cmd.item);
      const auto& step = StepOf(w, inc.step);
      const bool known = std::any_of(w.steps.begin(), w.steps.end(), [&](const StepDef& s) {
        return std::any_of(s.checklist.begin(), s.checklist.end(),
                           [&](const ChecklistItem& i) { return i.id == cmd.item; });
      });
      if (!known) {
        return core::InvalidArgument("unknown checklist item \"" + cmd.item + "\" of the " +
                                         std::string(ProcessKindName(inc.process)) + " process",
                                     "/item");
      }
      if (item_step != step.number) {
        return tl::unexpected(
            Precondition("item " + cmd.item + " belongs to step " + std::to_string(item_step) +
                             ", the incident is at step " + std::to_string(inc.step),
                         "/item")
                .error());
      }
      if (!Done(inc, cmd.item)) {
        next.checklist_done.push_back(cmd.item);
        t.events.push_back(Make(EventKind::kChecklistItemDone, now, cmd, cmd.item));
      }
      return t;
    }
    case Action::kCompleteStep: {
      if (inc.step == last) {
        return tl::unexpected(
            Precondition("the last step completes by closing the incident", "/step").error());
      }
      UCSC_RETURN_IF_ERROR(RequiredItemsDone(inc, StepOf(w, inc.step)));
      t.events.push_back(Make(EventKind::kStepCompleted, now, cmd, std::to_string(inc.step)));
      if (inc.step == w.response_ends_after) {
        next.state = IncidentState::kResponseEnded;
        t.events.push_back(Make(EventKind::kResponseEnded, now, cmd));
      }
      next.step = inc.step + 1;
      return t;
    }
    case Action::kClose: {
      if (inc.step != last) {
        return tl::unexpected(Precondition("closing needs the last step (" + std::to_string(last) +
                                               "); the incident is at step " +
                                               std::to_string(inc.step) + " (no skipping)",
                                           "/step")
                                  .error());
      }
      UCSC_RETURN_IF_ERROR(RequiredItemsDone(inc, StepOf(w, inc.step)));
      if (core::ToUnixMillis(inc.closing_report.reported_at) == 0) {
        return tl::unexpected(Precondition("R11: the closing report (Form 04) has not been sent",
                                           "/closing_report/reported_at")
                                  .error());
      }
      t.events.push_back(Make(EventKind::kStepCompleted, now, cmd, std::to_string(inc.step)));
      t.events.push_back(Make(EventKind::kClosed, now, cmd));
      next.state = IncidentState::kClosed;
      return t;
    }
    case Action::kReopen: {
      if (inc.state != IncidentState::kClosed) {
        return tl::unexpected(
            Precondition("only a closed incident can be reopened", "/state").error());
      }
      if (cmd.reason.empty()) return core::InvalidArgument("a reopening needs a reason", "/reason");
      const int to = cmd.to_step == 0 ? 1 : cmd.to_step;
      if (to < 1 || to > w.response_ends_after) {
        return core::InvalidArgument("a reopened incident resumes at a response step 1.." +
                                         std::to_string(w.response_ends_after),
                                     "/to_step");
      }
      next.state = IncidentState::kOpen;
      next.step = to;
      ++next.reopen_count;
      std::erase_if(next.checklist_done,
                    [&](const std::string& id) { return StepOfItem(id) >= to; });
      // The next closure needs a new closing report.
      next.closing_report.reported_at = core::Instant{};
      next.closing_report.reference_no.clear();
      t.events.push_back(Make(EventKind::kReopened, now, cmd, std::to_string(to), cmd.reason));
      t.events.push_back(Make(EventKind::kResponseStarted, now, cmd));
      return t;
    }
    case Action::kChangeProcess: {
      if (cmd.process == inc.process) {
        return core::InvalidArgument("the incident already follows this process", "/process");
      }
      if (cmd.reason.empty()) {
        return core::InvalidArgument("a change of process needs a reason", "/reason");
      }
      if (inc.state != IncidentState::kOpen) {
        return tl::unexpected(
            Precondition("the process can change only while the response is open", "/state")
                .error());
      }
      // Escalation: QĐ05 steps 1–2 (detect, verify/classify) were done by the TT20 intake and
      // the R14 classification; the serious procedure resumes at step 3. De-escalation resumes
      // at TT20 step 1, or step 2 when the QĐ05 initial response (step 4) had begun.
      if (cmd.process == ProcessKind::kSerious) {
        next.step = 3;
      } else {
        next.step = inc.step >= 4 ? 2 : 1;
      }
      next.process = cmd.process;
      next.checklist_done.clear();
      t.events.push_back(Make(EventKind::kProcessChanged, now, cmd,
                              std::string(ProcessKindName(cmd.process)), cmd.reason));
      return t;
    }
  }
  return core::InvalidArgument("unknown action", "/action");
}

std::vector<Event> ReclassificationEvents(const Incident& before, const Incident& after,
                                          core::Instant now) {
  std::vector<Event> out;
  if (after.capacity == Capacity::kBeyondCapacity && before.capacity != Capacity::kBeyondCapacity) {
    out.push_back({EventKind::kBeyondCapacity, now, {}, {}, {}});
  }
  const auto was = Classify(before).outcome;
  const auto is = Classify(after).outcome;
  if (was == Seriousness::kNormal && is != Seriousness::kNormal) {
    out.push_back({EventKind::kPossiblySerious, now, {}, {}, std::string(SeriousnessName(is))});
  }
  return out;
}

std::vector<Event> IntakeEvents(const Incident& inc, core::Instant now) {
  std::vector<Event> out{{EventKind::kDetected, inc.detected_at, {}, {}, {}},
                         {EventKind::kResponseStarted, now, {}, {}, {}}};
  Incident blank;
  for (auto& e : ReclassificationEvents(blank, inc, now)) out.push_back(std::move(e));
  return out;
}

}  // namespace ucsc::incident
