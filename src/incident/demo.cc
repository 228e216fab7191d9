#include "incident/demo.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "capability/route.h"
#include "core/legal_time.h"
#include "incident/internal/repo.h"
#include "incident/internal/service.h"
#include "incident/model.h"
#include "incident/observable.h"
#include "incident/workflow.h"
#include "store/store.h"

namespace ucsc::incident {
namespace {

using core::Instant;
using std::chrono::hours;
using std::chrono::minutes;
using Status = core::Status;
using Obs = std::pair<ObservableType, const char*>;

// Which systems a scenario fits: by a keyword of the system's name, or (kCritical) level ≥ 4 or
// on the national list, which R14 needs for a serious incident.
enum class Pick { kCritical, kPortal, kMail, kNetwork, kData, kAny };

// How far the incident has gone by now.
enum class Fate {
  kNew,       // reported, step 1 open
  kHandling,  // some steps completed, response under way
  kEnded,     // response ended (R9, R11 started), Form 04 not sent
  kClosed,    // closed with Form 04 sent (R11)
};

enum class Notify { kOnTime, kLate, kNone };  // the R8 notification: ≤ 1 day, 7 days, never

enum class Help { kSelf, kDomestic, kForeign };  // Form 05 columns

struct Scenario {
  IncidentType type;
  Pick pick;
  int days_ago;  // detection: this many days before the clock's local date
  int hour;      // local hour of detection
  const char* title;
  const char* description;
  const char* handling;    // kết quả xử lý ban đầu (notification)
  const char* resolution;  // Form 04 handling result
  Fate fate;
  Notify notify;
  bool serious = false;          // harms (a)/(d) and beyond capacity: R14 when the system fits
  bool coordinator_ack = false;  // the coordinating agency acknowledges our notification (R12)
  bool order_received = false;   // a coordination order received from it (R12 started)
  bool order_acked = true;       // … and acknowledged within the day (R12 met)
  bool support_requested = false;
  Help help = Help::kSelf;
  int64_t damage_vnd = 0;
  std::vector<Obs> observables;
};

// Documentation addresses (RFC 5737 192.0.2.0/24) and made-up names and hashes. Shared between
// scenarios so that correlation (GET …/observables, seen_in_incidents) finds them.
constexpr const char* kScannerIp = "192.0.2.45";
constexpr const char* kC2Ip = "192.0.2.77";
constexpr const char* kPhishDomain = "dichvucong-songhong.example.net";
constexpr const char* kPhishDomain2 = "xacthuc-songhong.example.org";
constexpr const char* kLoaderHash =
    "5d1f0c3e9a7b2468ace13579bdf02468ace13579bdf02468ace13579bdf0a1b2";
constexpr const char* kRansomHash =
    "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d";

const std::vector<Scenario>& Scenarios() {
  using T = IncidentType;
  using O = ObservableType;
  static const std::vector<Scenario> all = {
      // ---- 2025 (about 700 to 360 days before now) ----------------------------------------
      {T::kDefacement,
       Pick::kPortal,
       690,
       7,
       "Trang chủ bị thay đổi giao diện trái phép",
       "Trang chủ hiển thị nội dung lạ do đối tượng chèn qua lỗ hổng tải tệp của trình soạn thảo; "
       "người dân phản ánh qua đường dây nóng.",
       "Đã tạm dừng trang, khôi phục giao diện từ bản sao lưu.",
       "Gỡ tệp webshell, vá trình soạn thảo, đổi mật khẩu quản trị, bật tường lửa ứng dụng web.",
       Fate::kClosed,
       Notify::kOnTime,
       false,
       false,
       false,
       true,
       false,
       Help::kSelf,
       0,
       {{O::kUrl, "https://upload.example.com/shell.php"}}},
      {T::kSpoofing,
       Pick::kMail,
       640,
       9,
       "Thư điện tử giả mạo thông báo nâng cấp hộp thư",
       "Nhiều cán bộ nhận thư giả mạo bộ phận kỹ thuật yêu cầu đăng nhập lại hộp thư tại trang "
       "giả; 3 tài khoản đã nhập mật khẩu.",
       "Đã khóa 3 tài khoản, chặn tên miền giả mạo trên cổng thư.",
       "Đặt lại mật khẩu, bật xác thực hai lớp cho tài khoản lãnh đạo, tuyên truyền nhận diện "
       "thư giả mạo.",
       Fate::kClosed,
       Notify::kOnTime,
       false,
       true,
       false,
       true,
       false,
       Help::kSelf,
       0,
       {{O::kDomain, kPhishDomain}, {O::kEmail, "hotro-kythuat@dichvucong-songhong.example.net"}}},
      {T::kMalware,
       Pick::kAny,
       600,
       14,
       "Máy trạm nhiễm mã độc đánh cắp thông tin đăng nhập",
       "Hệ thống phòng chống mã độc tập trung cảnh báo 4 máy trạm kết nối tới máy chủ điều khiển "
       "lạ sau khi mở tệp đính kèm.",
       "Đã cách ly 4 máy trạm khỏi mạng.",
       "Cài lại hệ điều hành 4 máy, quét toàn bộ mạng nội bộ, chặn địa chỉ điều khiển.",
       Fate::kClosed,
       Notify::kLate,
       false,
       false,
       false,
       true,
       false,
       Help::kDomestic,
       15000000,
       {{O::kSha256, kLoaderHash}, {O::kIp, kC2Ip}, {O::kFileName, "Cong_van_khan.docm"}}},
      {T::kDos,
       Pick::kPortal,
       560,
       10,
       "Tấn công từ chối dịch vụ làm gián đoạn truy cập",
       "Lưu lượng bất thường từ nhiều địa chỉ nước ngoài làm trang không truy cập được khoảng 3 "
       "giờ.",
       "Đã phối hợp nhà cung cấp kết nối lọc lưu lượng.",
       "Bật dịch vụ chống DDoS của nhà cung cấp, giới hạn tần suất truy cập.",
       Fate::kClosed,
       Notify::kOnTime,
       false,
       false,
       false,
       true,
       false,
       Help::kDomestic,
       0,
       {{O::kIp, kScannerIp}, {O::kCidr, "192.0.2.128/25"}}},
      {T::kEncryption,
       Pick::kCritical,
       520,
       2,
       "Mã độc mã hóa dữ liệu máy chủ ảo hóa",
       "Mã độc tống tiền mã hóa nhiều máy chủ ảo, dịch vụ dùng chung của tỉnh bị gián đoạn; đơn "
       "vị vận hành không tự khắc phục được.",
       "Đã ngắt kết nối Internet, cô lập cụm máy chủ bị ảnh hưởng.",
       "Khôi phục từ bản sao lưu ngoại tuyến, vá lỗ hổng VPN, tách mạng quản trị, rà soát toàn "
       "bộ tài khoản.",
       Fate::kClosed,
       Notify::kOnTime,
       true,
       true,
       true,
       true,
       true,
       Help::kForeign,
       350000000,
       {{O::kSha256, kRansomHash}, {O::kIp, "192.0.2.190"}, {O::kProcess, "svchostx.exe"}}},
      {T::kUnauthorisedAccess,
       Pick::kNetwork,
       480,
       23,
       "Truy cập trái phép tài khoản quản trị thiết bị mạng",
       "Nhật ký thiết bị ghi nhận đăng nhập quản trị thành công từ địa chỉ lạ ngoài giờ làm việc.",
       "Đã đổi mật khẩu, giới hạn địa chỉ quản trị.",
       "Cập nhật phần mềm thiết bị, chỉ cho phép quản trị qua mạng riêng, bật ghi nhật ký tập "
       "trung.",
       Fate::kClosed,
       Notify::kOnTime,
       false,
       false,
       false,
       true,
       false,
       Help::kSelf,
       0,
       {{O::kIp, kScannerIp}, {O::kUserAccount, "admin"}}},
      {T::kDataTheft,
       Pick::kData,
       430,
       15,
       "Lộ lọt dữ liệu hồ sơ do cấu hình sai",
       "Một thư mục sao lưu cơ sở dữ liệu truy cập được từ Internet không cần xác thực; có dấu "
       "hiệu tải xuống.",
       "Đã gỡ thư mục khỏi máy chủ web.",
       "Rà soát cấu hình máy chủ web, mã hóa bản sao lưu, thông báo cho các cá nhân có dữ liệu "
       "bị lộ.",
       Fate::kClosed,
       Notify::kLate,
       false,
       false,
       false,
       true,
       false,
       Help::kDomestic,
       40000000,
       {{O::kUrl, "https://files.example.com/backup.sql"}}},
      {T::kDestruction,
       Pick::kAny,
       400,
       16,
       "Xóa dữ liệu trái phép trên máy chủ ứng dụng",
       "Dữ liệu danh mục bị xóa bằng tài khoản của nhà thầu đã hết hợp đồng.",
       "Đã vô hiệu hóa tài khoản nhà thầu.",
       "Khôi phục dữ liệu từ bản sao lưu ngày hôm trước, thu hồi toàn bộ tài khoản hết hạn.",
       Fate::kClosed,
       Notify::kOnTime,
       false,
       false,
       false,
       true,
       false,
       Help::kSelf,
       5000000,
       {{O::kUserAccount, "nhathau.baotri"}}},
      {T::kOtherAttack,
       Pick::kAny,
       370,
       11,
       "Dò quét lỗ hổng quy mô lớn từ Internet",
       "Hệ thống giám sát ghi nhận hàng nghìn yêu cầu dò quét lỗ hổng trong 2 giờ.",
       "Đã chặn dải địa chỉ dò quét trên tường lửa.",
       "Rà soát các dịch vụ công khai, đóng cổng không dùng.",
       Fate::kClosed,
       Notify::kOnTime,
       false,
       false,
       false,
       true,
       false,
       Help::kSelf,
       0,
       {{O::kIp, kScannerIp}}},
      // ---- 2026 (within the Form 05 year 16/12/2025 .. 15/12/2026) --------------------------
      {T::kDefacement,
       Pick::kPortal,
       330,
       6,
       "Chèn nội dung quảng cáo cờ bạc vào trang tin",
       "Công cụ tìm kiếm hiển thị các trang quảng cáo cờ bạc trực tuyến dưới tên miền của đơn vị.",
       "Đã xóa các trang bị chèn, khóa tài khoản biên tập bị lộ.",
       "Nâng cấp hệ quản trị nội dung, rà soát mã nguồn, yêu cầu công cụ tìm kiếm gỡ kết quả.",
       Fate::kClosed,
       Notify::kOnTime,
       false,
       false,
       false,
       true,
       false,
       Help::kSelf,
       0,
       {{O::kDomain, "cuoc-online.example.com"}}},
      {T::kSpoofing,
       Pick::kMail,
       300,
       8,
       "Chiến dịch thư giả mạo công văn của cơ quan cấp trên",
       "Thư giả mạo công văn đính kèm liên kết tới trang đăng nhập giả; trùng tên miền với vụ "
       "giả mạo năm 2025.",
       "Đã chặn tên miền, cảnh báo toàn đơn vị.",
       "Chặn tên miền trên cổng thư và DNS, bổ sung bộ lọc SPF/DMARC.",
       Fate::kClosed,
       Notify::kOnTime,
       false,
       true,
       false,
       true,
       false,
       Help::kSelf,
       0,
       {{O::kDomain, kPhishDomain}}},
      {T::kMalware,
       Pick::kAny,
       280,
       9,
       "Mã độc lây qua thiết bị lưu trữ di động",
       "Phần mềm phòng chống mã độc phát hiện mẫu mã độc cùng họ với vụ năm 2025 trên máy "
       "tính bộ phận văn thư.",
       "Đã cách ly máy tính, thu giữ thiết bị lưu trữ.",
       "Làm sạch máy, chặn tự động chạy từ thiết bị di động qua chính sách tập trung.",
       Fate::kClosed,
       Notify::kOnTime,
       false,
       false,
       false,
       true,
       false,
       Help::kSelf,
       0,
       {{O::kSha256, kLoaderHash}, {O::kIp, kC2Ip}}},
      {T::kCombinedAttack,
       Pick::kCritical,
       250,
       3,
       "Tấn công tổng hợp vào nền tảng dùng chung của tỉnh",
       "Dò quét, khai thác lỗ hổng và cài mã độc trên nền tảng dùng chung; kết nối tới hệ thống "
       "quốc gia bị gián đoạn, nguy cơ lan sang các hệ thống khác.",
       "Đã tách nền tảng khỏi kết nối quốc gia, chuyển sang chế độ dự phòng.",
       "Làm sạch máy chủ, thay chứng thư, vá lỗ hổng, giám sát tăng cường 30 ngày.",
       Fate::kClosed,
       Notify::kOnTime,
       true,
       true,
       true,
       true,
       true,
       Help::kDomestic,
       120000000,
       {{O::kIp, kScannerIp}, {O::kSha256, kLoaderHash}}},
      {T::kEncryption,
       Pick::kData,
       220,
       13,
       "Mã độc tống tiền mã hóa máy chủ tệp",
       "Máy chủ chia sẻ tệp của đơn vị bị mã hóa, cùng mẫu mã độc với vụ tại Trung tâm dữ liệu "
       "năm 2025.",
       "Đã tắt máy chủ, cô lập mạng nội bộ.",
       "Khôi phục từ bản sao lưu, cài lại máy chủ, thu hẹp quyền chia sẻ.",
       Fate::kClosed,
       Notify::kLate,
       false,
       false,
       false,
       true,
       false,
       Help::kDomestic,
       60000000,
       {{O::kSha256, kRansomHash}}},
      {T::kDos,
       Pick::kPortal,
       190,
       20,
       "Gián đoạn dịch vụ do tấn công từ chối dịch vụ",
       "Trang không truy cập được khoảng 40 phút vào giờ cao điểm.",
       "Đã chặn nguồn tấn công trên tường lửa.",
       "Cấu hình giới hạn kết nối, theo dõi thêm 7 ngày.",
       Fate::kClosed,
       Notify::kOnTime,
       false,
       false,
       false,
       true,
       false,
       Help::kSelf,
       0,
       {{O::kIp, "192.0.2.201"}}},
      {T::kDataTheft,
       Pick::kCritical,
       160,
       10,
       "Đánh cắp dữ liệu hồ sơ thủ tục hành chính",
       "Đối tượng khai thác lỗ hổng giao diện lập trình để tải hàng loạt hồ sơ của người dân; "
       "mất kiểm soát một phần hệ thống.",
       "Đã khóa giao diện lập trình bị khai thác.",
       "Vá giao diện lập trình, bổ sung kiểm soát truy cập theo hồ sơ.",
       Fate::kEnded,
       Notify::kOnTime,
       true,
       true,
       true,
       true,
       true,
       Help::kDomestic,
       0,
       {{O::kIp, "192.0.2.66"}}},
      {T::kUnauthorisedAccess,
       Pick::kAny,
       130,
       22,
       "Chiếm quyền tài khoản quản trị ứng dụng",
       "Tài khoản quản trị bị đăng nhập từ nước ngoài sau khi lộ mật khẩu trên diễn đàn.",
       "Đã khóa tài khoản, buộc đổi mật khẩu toàn bộ quản trị viên.",
       "Bật xác thực hai lớp, rà soát nhật ký 90 ngày.",
       Fate::kClosed,
       Notify::kOnTime,
       false,
       true,
       false,
       true,
       false,
       Help::kSelf,
       0,
       {{O::kIp, kScannerIp}, {O::kUserAccount, "quantri"}}},
      {T::kDestruction,
       Pick::kData,
       100,
       15,
       "Phá hoại dữ liệu sau khi chiếm quyền máy chủ",
       "Một số bảng dữ liệu bị xóa sau khi đối tượng chiếm quyền máy chủ ứng dụng.",
       "Đã dừng dịch vụ, sao lưu hiện trạng phục vụ điều tra.",
       "Khôi phục dữ liệu, cài lại máy chủ.",
       Fate::kEnded,
       Notify::kLate,
       false,
       false,
       false,
       true,
       false,
       Help::kSelf,
       8000000,
       {{O::kIp, "192.0.2.88"}}},
      {T::kOtherAttack,
       Pick::kAny,
       75,
       9,
       "Lợi dụng máy chủ để phát tán thư rác",
       "Máy chủ bị lợi dụng chuyển tiếp thư rác, địa chỉ IP của đơn vị bị đưa vào danh sách đen.",
       "Đã tắt chức năng chuyển tiếp mở.",
       "Cấu hình lại máy chủ thư, đề nghị gỡ khỏi danh sách đen.",
       Fate::kClosed,
       Notify::kOnTime,
       false,
       false,
       false,
       true,
       false,
       Help::kSelf,
       0,
       {}},
      {T::kMalware,
       Pick::kAny,
       45,
       10,
       "Mã độc đào tiền ảo trên máy chủ",
       "Máy chủ dùng 100% CPU, phát hiện tiến trình đào tiền ảo kết nối ra ngoài.",
       "Đã dừng tiến trình, chặn kết nối ra ngoài.",
       "",
       Fate::kHandling,
       Notify::kOnTime,
       false,
       false,
       false,
       true,
       false,
       Help::kSelf,
       0,
       {{O::kProcess, "kworkerds"}, {O::kDomain, "pool.mining.example.net"}}},
      {T::kSpoofing,
       Pick::kMail,
       30,
       8,
       "Giả mạo trang xác thực tập trung để lấy mật khẩu",
       "Tin nhắn giả mạo gửi tới cán bộ liên kết trang đăng nhập giả của hệ thống xác thực.",
       "Đã chặn tên miền giả mạo.",
       "",
       Fate::kHandling,
       Notify::kLate,
       false,
       false,
       false,
       true,
       false,
       Help::kSelf,
       0,
       {{O::kDomain, kPhishDomain2}}},
      {T::kCombinedAttack,
       Pick::kNetwork,
       20,
       14,
       "Tấn công tổng hợp vào mạng nội bộ",
       "Dò quét, dò mật khẩu và cài công cụ điều khiển từ xa trên máy chủ trong mạng nội bộ.",
       "Đã cô lập phân vùng máy chủ.",
       "",
       Fate::kHandling,
       Notify::kNone,
       false,
       false,
       false,
       true,
       false,
       Help::kSelf,
       0,
       {{O::kIp, kScannerIp}, {O::kIp, kC2Ip}}},
      {T::kEncryption,
       Pick::kCritical,
       12,
       4,
       "Mã độc tống tiền tấn công hệ thống trọng yếu",
       "Mã độc mã hóa máy chủ cơ sở dữ liệu, dịch vụ gián đoạn; cùng mẫu mã độc với vụ năm "
       "2025; vượt quá khả năng của đơn vị vận hành.",
       "Đã ngắt kết nối, kích hoạt phương án ứng cứu khẩn cấp.",
       "",
       Fate::kHandling,
       Notify::kOnTime,
       true,
       false,
       true,
       false,
       true,
       Help::kSelf,
       0,
       {{O::kSha256, kRansomHash}, {O::kIp, "192.0.2.190"}}},
      {T::kDefacement,
       Pick::kPortal,
       9,
       7,
       "Thay đổi giao diện trang thông tin điện tử",
       "Trang chủ bị thay bằng hình ảnh và khẩu hiệu lạ.",
       "Đã tạm dừng trang thông tin điện tử.",
       "",
       Fate::kNew,
       Notify::kNone,
       false,
       false,
       false,
       true,
       false,
       Help::kSelf,
       0,
       {}},
      {T::kDos,
       Pick::kPortal,
       3,
       19,
       "Truy cập chậm do lưu lượng bất thường",
       "Lưu lượng tăng đột biến từ nhiều địa chỉ, trang truy cập chậm.",
       "Đang theo dõi, phối hợp nhà cung cấp kết nối.",
       "",
       Fate::kNew,
       Notify::kNone,
       false,
       false,
       false,
       true,
       false,
       Help::kSelf,
       0,
       {}},
      {T::kUnauthorisedAccess,
       Pick::kNetwork,
       1,
       8,
       "Đăng nhập VPN bất thường ngoài giờ",
       "Tài khoản VPN của một cán bộ đăng nhập lúc 2 giờ sáng từ địa chỉ nước ngoài.",
       "Đã khóa tài khoản VPN.",
       "",
       Fate::kNew,
       Notify::kOnTime,
       false,
       false,
       false,
       true,
       false,
       Help::kSelf,
       0,
       {{O::kIp, "192.0.2.99"}}},
      {T::kDataTheft,
       Pick::kData,
       60,
       16,
       "Nghi lộ dữ liệu cá nhân rao bán trên mạng",
       "Một diễn đàn rao bán tệp dữ liệu có cấu trúc trùng với dữ liệu của hệ thống.",
       "Đang xác minh nguồn dữ liệu.",
       "",
       Fate::kHandling,
       Notify::kOnTime,
       false,
       false,
       false,
       true,
       false,
       Help::kDomestic,
       0,
       {{O::kUrl, "https://forum.example.com/thread/123"}}},
  };
  return all;
}

bool Fits(const core::InformationSystem& s, Pick p) {
  const auto has = [&](const char* word) { return s.name.find(word) != std::string::npos; };
  switch (p) {
    case Pick::kCritical:
      return s.level >= 4 || s.national_important;
    case Pick::kPortal:
      return has("Cổng thông tin") || has("Trang thông tin");
    case Pick::kMail:
      return has("thư điện tử");
    case Pick::kNetwork:
      return has("Mạng") || has("VPN");
    case Pick::kData:
      return has("Cơ sở dữ liệu") || has("Hệ thống quản lý") || has("Hệ thống thông tin");
    case Pick::kAny:
      return true;
  }
  return true;
}

// A person acting for an organisation: the audit actor string (as the server writes it).
std::string ActorOf(const capability::DemoEnv& env, const std::string& org_id, core::Role role) {
  for (const auto& u : env.users) {
    if (u.org_id == org_id && u.role == role) return "user:" + u.username;
  }
  return "demo:" + std::string(core::RoleName(role)) + "@" + org_id;
}

class Seeder {
 public:
  Seeder(const capability::DemoEnv& env, const Recipients& r)
      : env_(env), recipients_(r), now_(env.clock.Now()) {
    for (const auto& o : env.orgs) {
      orgs_[o.id] = &o;
      if (o.type == core::OrgType::kCoordinator && coordinator_.empty()) coordinator_ = o.id;
    }
    for (const auto& s : env.systems) systems_.push_back(&s);
    std::sort(systems_.begin(), systems_.end(), [](const auto* a, const auto* b) {
      return a->name != b->name ? a->name < b->name : a->id < b->id;
    });
  }

  Status Run() {
    if (systems_.empty()) return core::Ok();
    std::map<Pick, int> used;
    int k = 0;
    for (const auto& sc : Scenarios()) {
      UCSC_RETURN_IF_ERROR(SeedCase(sc, *PickSystem(sc.pick, used[sc.pick]++), k++));
    }
    return core::Ok();
  }

 private:
  // The n-th (cyclically) system that fits `p`, else the n-th-but-spread of all.
  [[nodiscard]] const core::InformationSystem* PickSystem(Pick p, int n) const {
    std::vector<const core::InformationSystem*> fit;
    for (const auto* s : systems_) {
      if (Fits(*s, p)) fit.push_back(s);
    }
    if (fit.empty()) return systems_[(static_cast<size_t>(n) * 7 + 3) % systems_.size()];
    // Spread over the candidates: a stride that is coprime with most sizes.
    return fit[(static_cast<size_t>(n) * 5) % fit.size()];
  }

  [[nodiscard]] const core::Organisation* Org(const std::string& id) const {
    auto it = orgs_.find(id);
    return it == orgs_.end() ? nullptr : it->second;
  }
  [[nodiscard]] std::string OrgName(const std::string& id) const {
    const auto* o = Org(id);
    return o == nullptr ? id : o->name;
  }

  // One incident: intake, then each later operation at its time, up to the clock's now.
  Status SeedCase(const Scenario& sc, const core::InformationSystem& s, int k) {
    const std::string op = s.operator_org_id.empty() ? s.owner_org_id : s.operator_org_id;
    const core::Organisation* org = Org(op);
    const std::string staff = ActorOf(env_, op, core::Role::kOrgStaff);
    const std::string manager = ActorOf(env_, op, core::Role::kOrgManager);
    const std::string responder =
        ActorOf(env_, coordinator_.empty() ? op : coordinator_, core::Role::kResponder);
    const core::LocalDate day = core::AddDays(core::LocalDateOf(now_), -sc.days_ago);
    const Instant detected = core::StartOfLocalDay(day) + hours(sc.hour) + minutes((k * 13) % 60);
    const Instant intake = detected + hours(2);
    if (intake > now_) return core::Ok();

    Incident inc;
    inc.id = env_.ids.Next();
    inc.org_id = op;
    inc.title = std::string(sc.title) + " — " + s.name;
    inc.description = sc.description;
    inc.type = sc.type;
    inc.detected_at = detected;
    inc.affected_systems.push_back(
        {s.id, s.name, s.public_endpoints.empty() ? "" : s.public_endpoints.front(), 0, false});
    inc.notification.reporter = {
        org != nullptr ? org->name : op,
        org != nullptr && !org->address.empty() ? org->address : "Tỉnh Sông Hồng",
        org != nullptr ? org->phone : "", org != nullptr ? org->email : ""};
    inc.notification.operator_name = OrgName(op);
    inc.notification.owner_name = OrgName(s.owner_org_id);
    inc.notification.handling_result = sc.handling;
    inc.notification.recommendations =
        sc.serious ? "Đề nghị Cơ quan điều phối quốc gia hỗ trợ ứng cứu khẩn cấp." : "";
    if (sc.serious) {
      // QĐ05 Art 9.1 (a) and (d), Art 9.2: R14 says serious on a level 4/5 or national-list
      // system.
      inc.harms = {Harm::kServiceInterruption, Harm::kLossOfControl};
      inc.harm_description =
          "Dịch vụ gián đoạn, đơn vị vận hành mất quyền kiểm soát một phần hệ "
          "thống; nguy cơ ảnh hưởng các hệ thống kết nối.";
      inc.capacity = Capacity::kBeyondCapacity;
    } else {
      inc.capacity = Capacity::kWithinCapacity;
    }
    if (org != nullptr) {
      inc.initial_report.contact = {org->focal_point.name, "Cán bộ phụ trách an toàn thông tin",
                                    org->focal_point.phone, org->focal_point.email};
    }
    inc.initial_report.status = HandlingStatus::kNotHandled;
    inc.initial_report.detected_by_ids = true;
    inc.initial_report.notified_coordinating_agency = true;
    inc.initial_report.isp = "Chi nhánh Viễn thông Sông Hồng";
    for (const auto& e : s.public_endpoints) {  // Form 03: public IP addresses only
      if (!e.empty() && e.front() >= '0' && e.front() <= '9')
        inc.initial_report.public_ips.push_back(e);
    }

    // The operations in time order; those after now are left out.
    std::vector<std::pair<Instant, std::function<Status(store::Tx&)>>> ops;
    Incident cur;
    std::map<std::string, std::string> sent;  // "document/party" → notice id
    int ref = 0;
    const std::string ref_suffix = "/BC-" + std::to_string(100 + k);

    ops.emplace_back(intake, [&, inc](store::Tx& tx) -> Status {
      Incident next = inc;
      UCSC_RETURN_IF_ERROR(internal::ResolveSystems(tx, store::Scope::All(), next));
      UCSC_RETURN_IF_ERROR(internal::CheckIntake(next, intake));
      return internal::SaveIncident(tx, staff, intake, nullptr, next, IntakeEvents(next, intake),
                                    "create", cur);
    });
    if (!sc.observables.empty()) {
      const Instant at = intake + hours(1);
      ops.emplace_back(at,
                       [&, at](store::Tx& tx) { return AddObservables(tx, cur, sc, staff, at); });
    }
    auto notice = [&](Instant at, NoticeDirection dir, const std::string& document,
                      const std::string& party, const std::string& who) {
      ops.emplace_back(at, [&, at, dir, document, party, who](store::Tx& tx) -> Status {
        Notice n;
        n.id = env_.ids.Next();
        n.incident_id = cur.id;
        n.direction = dir;
        n.at = at;
        n.document = document;
        n.party = party;
        n.party_name = party == "owner" ? OrgName(s.owner_org_id) : "";
        n.channel = dir == NoticeDirection::kReceived ? "system" : "email";
        n.reference_no = std::to_string(++ref) + ref_suffix;
        sent[document + "/" + party] = n.id;
        const Incident before = cur;
        return internal::RecordNotice(tx, recipients_, who, at, before, n, cur);
      });
    };
    auto send_all = [&](Instant at, const std::string& document, const std::string& who) {
      const NoticeRule* rule = recipients_.Document(document);
      if (rule == nullptr) return;
      int i = 0;
      for (const auto& party : rule->required) {
        notice(at + minutes(10 * i++), NoticeDirection::kSent, document, party, who);
      }
    };
    auto ack = [&](Instant at, const std::string& key, const std::string& by,
                   const std::string& who) {
      ops.emplace_back(at, [&, at, key, by, who](store::Tx& tx) -> Status {
        auto it = sent.find(key);
        if (it == sent.end()) return core::Ok();
        Notice acked;
        const Incident before = cur;
        return internal::AcknowledgeNotice(tx, recipients_, who, at, before, it->second, at, by,
                                           "system", acked, cur);
      });
    };

    // R10 (serious): Form 03 to the owner, the specialised unit and the coordinating agency.
    if (sc.serious) send_all(intake + hours(2), "initial_report", staff);
    // R8: the notification, on time (the next morning) or 7 days late.
    std::optional<Instant> notified;
    if (sc.notify != Notify::kNone) {
      notified = sc.notify == Notify::kOnTime ? detected + hours(20) : detected + hours(7 * 24);
      send_all(*notified, "notification", staff);
      if (sc.coordinator_ack) {
        const PartyDef* national = recipients_.Party("national_coordinator");
        ack(*notified + hours(3), "notification/national_coordinator",
            national != nullptr && !national->body.empty() ? national->body
                                                           : "Cơ quan điều phối quốc gia",
            staff);
      }
    }
    // R12: a coordination order received from the coordinating agency, acknowledged or not.
    if (sc.order_received) {
      const Instant at = detected + hours(26);
      notice(at, NoticeDirection::kReceived, "coordination_order", "national_coordinator", staff);
      if (sc.order_acked) ack(at + hours(1), "coordination_order/national_coordinator", "", staff);
    }
    if (sc.support_requested) {
      notice(detected + hours(30), NoticeDirection::kSent, "request_for_support",
             "national_coordinator", manager);
    }

    // The procedure's steps: each one's items checked and the step completed.
    const bool serious_path = sc.serious && Fits(s, Pick::kCritical);
    const Workflow& wf = WorkflowFor(serious_path ? ProcessKind::kSerious : ProcessKind::kNormal);
    const int ends = wf.response_ends_after;
    const auto span = hours(serious_path ? 48 : 24);
    int through = 0;  // steps completed during the response
    switch (sc.fate) {
      case Fate::kNew:
        through = 0;
        break;
      case Fate::kHandling:
        through = serious_path ? 3 : 1;
        break;
      case Fate::kEnded:
      case Fate::kClosed:
        through = ends;
        break;
    }
    const std::string worker = serious_path ? responder : staff;
    // An escalated incident resumes at QĐ05 step 3 (workflow.h: steps 1–2 were the intake and
    // the R14 classification).
    const int first = serious_path ? 3 : 1;
    for (int step = first; step <= through; ++step) {
      const Instant at = detected + span * (step - first + 1) + hours(2);
      ops.emplace_back(at, [&, at](store::Tx& tx) { return CompleteStep(tx, cur, worker, at); });
      if (serious_path && step < ends) send_all(at + hours(1), "progress_report", worker);
    }
    const Instant ended = detected + span * std::max(through - first + 1, 0) + hours(2);
    if (sc.fate == Fate::kEnded || sc.fate == Fate::kClosed) {
      // Form 05 facts: who helped, the damage.
      ops.emplace_back(ended + hours(1), [&, ended](store::Tx& tx) -> Status {
        Incident next = cur;
        if (sc.help == Help::kDomestic || sc.help == Help::kForeign) {
          next.support.domestic_helpers = {"Đội ứng cứu sự cố tỉnh (" + OrgName(coordinator_) +
                                           ")"};
        }
        if (sc.help == Help::kForeign) {
          next.support.foreign_helpers = {
              "Hãng bảo mật nước ngoài cung cấp giải pháp phòng, "
              "chống mã độc"};
        }
        next.support.estimated_damage_vnd = sc.damage_vnd;
        const Incident before = cur;
        return internal::SaveIncident(tx, staff, ended + hours(1), &before, next, {}, "update",
                                      cur);
      });
    }
    if (sc.fate == Fate::kClosed) {
      // R9 follow-up, then Form 04 (R11) within the 5 days, then the remaining steps and closing.
      Instant follow = ended + hours(4);
      if (notified && *notified + hours(2) > follow) follow = *notified + hours(2);
      if (notified) send_all(follow, "follow_up", staff);
      const Instant report = follow + hours(20);
      ops.emplace_back(report - hours(1), [&, report](store::Tx& tx) -> Status {
        Incident next = cur;
        next.closing_report.what_happened = sc.description;
        next.closing_report.resolution = sc.resolution;
        next.closing_report.proposals =
            "Rà soát, vá lỗ hổng định kỳ; tăng cường giám sát; tập huấn nhận diện tấn công.";
        const Incident before = cur;
        return internal::SaveIncident(tx, staff, report - hours(1), &before, next, {}, "update",
                                      cur);
      });
      send_all(report, "closing_report", manager);
      const int last = static_cast<int>(wf.steps.size());
      for (int step = ends + 1; step <= last; ++step) {
        const Instant at = report + hours(24 * (step - ends));
        ops.emplace_back(at, [&, at, step, last](store::Tx& tx) {
          return CompleteStep(tx, cur, step == last ? manager : worker, at, step == last);
        });
      }
    }

    std::stable_sort(ops.begin(), ops.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    return env_.store.Write([&](store::Tx& tx) -> Status {
      for (auto& [at, op_fn] : ops) {
        if (at > now_) break;
        auto done = op_fn(tx);
        if (!done) {
          core::Error e = done.error();
          e.message =
              std::string(sc.title) + " at " + core::FormatRfc3339Utc(at) + ": " + e.message;
          return tl::unexpected(e);
        }
      }
      return core::Ok();
    });
  }

  // Checks every open item of the current step, then completes it (or, with `close`, closes the
  // incident: the last step, Form 04 sent), as POST …/transitions does.
  static Status CompleteStep(store::Tx& tx, Incident& cur, const std::string& actor, Instant at,
                             bool close = false) {
    const Workflow& wf = WorkflowFor(cur.process);
    const auto& step = wf.steps.at(static_cast<size_t>(cur.step - 1));
    for (const auto& item : step.checklist) {
      if (std::find(cur.checklist_done.begin(), cur.checklist_done.end(), item.id) !=
          cur.checklist_done.end()) {
        continue;
      }
      Command cmd;
      cmd.action = Action::kCheckItem;
      cmd.actor = actor;
      cmd.item = item.id;
      UCSC_ASSIGN_OR_RETURN(auto t, Apply(cur, cmd, at));
      const Incident before = cur;
      UCSC_RETURN_IF_ERROR(
          internal::SaveIncident(tx, actor, at, &before, t.next, t.events, "check_item", cur));
    }
    Command cmd;
    cmd.action = close ? Action::kClose : Action::kCompleteStep;
    cmd.actor = actor;
    UCSC_ASSIGN_OR_RETURN(auto t, Apply(cur, cmd, at));
    const Incident before = cur;
    return internal::SaveIncident(tx, actor, at, &before, t.next, t.events,
                                  close ? "close" : "complete_step", cur);
  }

  // As POST …/observables: each validated, stored once, audited.
  Status AddObservables(store::Tx& tx, const Incident& cur, const Scenario& sc,
                        const std::string& actor, Instant at) const {
    internal::Repo repo(tx.Sql());
    capability::Json added = capability::Json::array();
    for (const auto& [type, value] : sc.observables) {
      UCSC_ASSIGN_OR_RETURN(auto o, MakeObservable(type, value));
      internal::StoredObservable stored{env_.ids.Next(), cur.id, o, at};
      UCSC_ASSIGN_OR_RETURN(bool fresh, repo.AddObservable(stored));
      if (fresh) {
        added.push_back(capability::Json{{"id", stored.id},
                                         {"type", std::string(ObservableTypeName(o.type))},
                                         {"value", o.value}});
      }
    }
    return capability::AppendAudit(tx, actor, at, "add_observables", "incident", cur.id, "",
                                   added.dump());
  }

  const capability::DemoEnv& env_;
  const Recipients& recipients_;
  const Instant now_;
  std::map<std::string, const core::Organisation*> orgs_;
  std::string coordinator_;
  std::vector<const core::InformationSystem*> systems_;
};

}  // namespace

Status SeedDemo(const capability::DemoEnv& env, const Recipients& recipients) {
  return Seeder(env, recipients).Run();
}

}  // namespace ucsc::incident
