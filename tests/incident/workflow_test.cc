#include "incident/workflow.h"

#include <gtest/gtest.h>

namespace ucsc::incident {
namespace {

const core::Instant kNow = core::FromUnixMillis(1'780'000'000'000);

Command Check(std::string item) {
  Command c;
  c.action = Action::kCheckItem;
  c.item = std::move(item);
  c.actor = "u-1";
  return c;
}
Command Simple(Action a) {
  Command c;
  c.action = a;
  c.actor = "u-1";
  return c;
}

// Checks every required item of the current step and completes it.
Incident CompleteCurrentStep(Incident inc, std::vector<Event>* events = nullptr) {
  const auto& step = WorkflowFor(inc.process).steps[static_cast<size_t>(inc.step) - 1];
  for (const auto& item : step.checklist) {
    if (!item.required) continue;
    auto t = Apply(inc, Check(item.id), kNow);
    EXPECT_TRUE(t) << t.error().ToString();
    inc = t->next;
  }
  auto t = Apply(inc, Simple(Action::kCompleteStep), kNow);
  EXPECT_TRUE(t) << t.error().ToString();
  if (events) events->insert(events->end(), t->events.begin(), t->events.end());
  return t->next;
}

TEST(Workflow, NormalHasFourStepsAndSeriousSevenEachWithAChecklist) {
  EXPECT_EQ(WorkflowFor(ProcessKind::kNormal).steps.size(), 4u);
  EXPECT_EQ(WorkflowFor(ProcessKind::kSerious).steps.size(), 7u);
  for (auto kind : {ProcessKind::kNormal, ProcessKind::kSerious}) {
    for (const auto& step : WorkflowFor(kind).steps) {
      EXPECT_FALSE(step.checklist.empty()) << step.number;
      EXPECT_FALSE(step.title.vi.empty());
      for (const auto& item : step.checklist) {
        EXPECT_EQ(item.id.substr(0, item.id.find('.')), std::to_string(step.number));
      }
    }
  }
}

TEST(Workflow, StepCannotCompleteWithRequiredItemsOpen) {
  Incident inc;
  auto t = Apply(inc, Simple(Action::kCompleteStep), kNow);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(t.error().message.find("1.a"), std::string::npos);
}

TEST(Workflow, ItemOfALaterStepIsRefusedNoSkipping) {
  Incident inc;
  auto t = Apply(inc, Check("3.a"), kNow);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(t.error().field, "/item");
}

TEST(Workflow, UnknownItemIsInvalid) {
  Incident inc;
  auto t = Apply(inc, Check("1.z"), kNow);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, core::ErrorCode::kInvalidArgument);
}

TEST(Workflow, OptionalItemsDoNotBlockAStep) {
  Incident inc = CompleteCurrentStep(Incident{});  // 1.d and 1.e left open
  EXPECT_EQ(inc.step, 2);
}

TEST(Workflow, CloseBeforeTheLastStepIsSkipping) {
  Incident inc;
  inc.closing_report.reported_at = kNow;
  auto t = Apply(inc, Simple(Action::kClose), kNow);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(t.error().field, "/step");
}

TEST(WorkflowR11, NormalProcessEndsResponseAfterStep3AndClosesOnlyWithForm04) {
  Incident inc;
  std::vector<Event> events;
  for (int i = 0; i < 3; ++i) inc = CompleteCurrentStep(inc, &events);
  EXPECT_EQ(inc.step, 4);
  EXPECT_EQ(inc.state, IncidentState::kResponseEnded);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[2].kind, EventKind::kStepCompleted);
  EXPECT_EQ(events[2].ref, "3");
  EXPECT_EQ(events[3].kind, EventKind::kResponseEnded);
  EXPECT_EQ(events[3].actor, "u-1");

  for (const char* item : {"4.a", "4.b", "4.c"}) inc = Apply(inc, Check(item), kNow)->next;
  auto no_form04 = Apply(inc, Simple(Action::kClose), kNow);
  ASSERT_FALSE(no_form04);
  EXPECT_EQ(no_form04.error().field, "/closing_report/reported_at");
  EXPECT_NE(no_form04.error().message.find("Form 04"), std::string::npos);

  inc.closing_report.reported_at = kNow;
  auto closed = Apply(inc, Simple(Action::kClose), kNow);
  ASSERT_TRUE(closed) << closed.error().ToString();
  EXPECT_EQ(closed->next.state, IncidentState::kClosed);
  EXPECT_EQ(closed->events.back().kind, EventKind::kClosed);
  EXPECT_EQ(AllowedActions(closed->next), std::vector<Action>{Action::kReopen});
}

TEST(Workflow, SeriousProcessRunsSevenStepsEndingResponseAfterStep5) {
  Incident inc;
  inc.process = ProcessKind::kSerious;
  for (int i = 0; i < 5; ++i) inc = CompleteCurrentStep(inc);
  EXPECT_EQ(inc.state, IncidentState::kResponseEnded);
  inc = CompleteCurrentStep(inc);
  EXPECT_EQ(inc.step, 7);
  inc.closing_report.reported_at = kNow;
  for (const char* item : {"7.a", "7.b"}) inc = Apply(inc, Check(item), kNow)->next;
  auto closed = Apply(inc, Simple(Action::kClose), kNow);
  ASSERT_TRUE(closed) << closed.error().ToString();
  EXPECT_EQ(closed->next.state, IncidentState::kClosed);
}

TEST(Workflow, ClosedIncidentRefusesEverythingButReopen) {
  Incident inc;
  inc.state = IncidentState::kClosed;
  inc.step = 4;
  auto t = Apply(inc, Check("4.a"), kNow);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, core::ErrorCode::kFailedPrecondition);
}

TEST(Workflow, ReopeningIsRecordedWithReasonAndNeedsANewForm04) {
  Incident inc;
  inc.state = IncidentState::kClosed;
  inc.step = 4;
  inc.checklist_done = {"1.a", "2.a", "4.a"};
  inc.closing_report.reported_at = kNow;
  Command c = Simple(Action::kReopen);
  auto no_reason = Apply(inc, c, kNow);
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(no_reason.error().field, "/reason");
  c.reason = "Mã độc tái xuất hiện";
  c.to_step = 2;
  auto t = Apply(inc, c, kNow);
  ASSERT_TRUE(t) << t.error().ToString();
  EXPECT_EQ(t->next.state, IncidentState::kOpen);
  EXPECT_EQ(t->next.step, 2);
  EXPECT_EQ(t->next.reopen_count, 1);
  EXPECT_EQ(t->next.checklist_done, std::vector<std::string>{"1.a"});
  EXPECT_EQ(core::ToUnixMillis(t->next.closing_report.reported_at), 0);
  ASSERT_EQ(t->events.size(), 2u);
  EXPECT_EQ(t->events[0].kind, EventKind::kReopened);
  EXPECT_EQ(t->events[0].detail, "Mã độc tái xuất hiện");
  EXPECT_EQ(t->events[1].kind, EventKind::kResponseStarted);
  c.to_step = 4;  // the review step is not a response step
  EXPECT_FALSE(Apply(inc, c, kNow));
}

TEST(Workflow, ReopenOfAnOpenIncidentIsRefused) {
  Command c = Simple(Action::kReopen);
  c.reason = "x";
  auto t = Apply(Incident{}, c, kNow);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, core::ErrorCode::kFailedPrecondition);
}

TEST(WorkflowR14, EscalationToSeriousResumesAtQd05Step3) {
  Incident inc = CompleteCurrentStep(Incident{});
  Command c = Simple(Action::kChangeProcess);
  c.process = ProcessKind::kSerious;
  EXPECT_FALSE(Apply(inc, c, kNow));  // no reason
  c.reason = "R14: hệ thống cấp độ 4, vượt quá khả năng";
  auto t = Apply(inc, c, kNow);
  ASSERT_TRUE(t) << t.error().ToString();
  EXPECT_EQ(t->next.process, ProcessKind::kSerious);
  EXPECT_EQ(t->next.step, 3);
  EXPECT_TRUE(t->next.checklist_done.empty());
  ASSERT_EQ(t->events.size(), 1u);
  EXPECT_EQ(t->events[0].kind, EventKind::kProcessChanged);
  EXPECT_EQ(t->events[0].ref, "serious");
}

TEST(WorkflowR10, ReclassificationEmitsBeyondCapacityAndPossiblySerious) {
  Incident before;
  before.affected_systems.push_back({"s", "Hệ thống", "", 4, false});
  before.harms = {Harm::kServiceInterruption};
  before.capacity = Capacity::kWithinCapacity;
  Incident after = before;
  after.capacity = Capacity::kBeyondCapacity;
  auto events = ReclassificationEvents(before, after, kNow);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, EventKind::kBeyondCapacity);
  EXPECT_EQ(events[1].kind, EventKind::kPossiblySerious);
  EXPECT_EQ(events[1].detail, "serious");
  EXPECT_TRUE(ReclassificationEvents(after, after, kNow).empty());
}

TEST(Workflow, IntakeEventsStartDetectionAndResponse) {
  Incident inc;
  inc.detected_at = core::FromUnixMillis(1000);
  auto events = IntakeEvents(inc, kNow);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, EventKind::kDetected);
  EXPECT_EQ(events[0].at, inc.detected_at);
  EXPECT_EQ(events[1].kind, EventKind::kResponseStarted);
}

}  // namespace
}  // namespace ucsc::incident
