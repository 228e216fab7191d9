#include "report/pdf.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

extern char** environ;

namespace ucsc::report {
namespace {

namespace fs = std::filesystem;

bool IsExecutable(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// Removes the temporary directory on every path out of ConvertDocxToPdf.
class TempDir {
 public:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

core::Status WriteFile(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return core::Internal("cannot write " + path);
  return core::Ok();
}

std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string Tail(const std::string& s, size_t n) {
  return s.size() <= n ? s : "…" + s.substr(s.size() - n);
}

// Percent-encodes a path for a file:// URL (UserInstallation takes a URL).
std::string FileUrl(const std::string& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string url = "file://";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      url += static_cast<char>(c);
    } else {
      url += '%';
      url += kHex[c >> 4];
      url += kHex[c & 15];
    }
  }
  return url;
}

}  // namespace

core::Result<std::string> FindSoffice(const PdfOptions& options) {
  if (!options.soffice_path.empty()) {
    if (IsExecutable(options.soffice_path)) return options.soffice_path;
    return core::MakeError(core::ErrorCode::kFailedPrecondition,
                           "LibreOffice not found at " + options.soffice_path +
                               "; PDF output needs LibreOffice (Debian: libreoffice-writer-nogui)");
  }
  const char* path_env = std::getenv("PATH");
  const std::string path_list = path_env != nullptr ? path_env : "/usr/bin:/bin";
  for (const char* name : {"soffice", "libreoffice"}) {
    size_t start = 0;
    while (start <= path_list.size()) {
      size_t end = path_list.find(':', start);
      if (end == std::string::npos) end = path_list.size();
      const std::string dir = path_list.substr(start, end - start);
      if (!dir.empty()) {
        const std::string candidate = dir + "/" + name;
        if (IsExecutable(candidate)) return candidate;
      }
      start = end + 1;
    }
  }
  return core::MakeError(core::ErrorCode::kFailedPrecondition,
                         "LibreOffice is not installed (no soffice or libreoffice on PATH); PDF "
                         "output needs it (Debian: apt-get install libreoffice-writer-nogui)");
}

core::Result<std::string> ConvertDocxToPdf(std::string_view docx, const PdfOptions& options) {
  UCSC_ASSIGN_OR_RETURN(const std::string soffice, FindSoffice(options));

  std::string root = options.temp_root;
  if (root.empty()) {
    const char* tmpdir = std::getenv("TMPDIR");
    root = tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp";
  }
  std::string pattern = root + "/ucsc-pdf-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr) {
    return core::Internal("cannot create a temporary directory under " + root + ": " +
                          std::strerror(errno));
  }
  const TempDir dir(buffer.data());
  const std::string input = dir.path() + "/document.docx";
  const std::string output = dir.path() + "/document.pdf";
  const std::string log = dir.path() + "/soffice.log";
  UCSC_RETURN_IF_ERROR(WriteFile(input, docx));

  std::vector<std::string> args = {soffice,
                                   "-env:UserInstallation=" + FileUrl(dir.path() + "/profile"),
                                   "--headless",
                                   "--invisible",
                                   "--nologo",
                                   "--nodefault",
                                   "--nofirststartwizard",
                                   "--nolockcheck",
                                   "--norestore",
                                   "--convert-to",
                                   "pdf:writer_pdf_Export",
                                   "--outdir",
                                   dir.path(),
                                   input};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  // HOME inside the directory too: LibreOffice may touch ~/.config even with its own profile.
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "HOME=", 5) != 0) env_strings.emplace_back(*e);
  }
  env_strings.push_back("HOME=" + dir.path());
  std::vector<char*> envp;
  for (std::string& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);  // its own group, so the timeout kills its children too
  pid_t pid = 0;
  const int spawn_error =
      posix_spawn(&pid, soffice.c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (spawn_error != 0) {
    return core::Internal("cannot start " + soffice + ": " + std::strerror(spawn_error));
  }

  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  int status = 0;
  for (;;) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) {
      ::kill(-pid, SIGKILL);
      return core::Internal(std::string("waitpid: ") + std::strerror(errno));
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(-pid, SIGKILL);
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      return core::MakeError(core::ErrorCode::kDeadlineExceeded,
                             "LibreOffice did not finish the PDF conversion within " +
                                 std::to_string(options.timeout.count()) + " ms");
    }
    const timespec pause{0, 20'000'000};  // poll every 20 ms
    ::nanosleep(&pause, nullptr);
  }
  const std::string output_log = ReadFileOrEmpty(log);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return core::Internal("LibreOffice failed (" +
                          (WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                             : std::string("killed by a signal")) +
                          "): " + Tail(output_log, 500));
  }
  std::string pdf = ReadFileOrEmpty(output);
  if (pdf.rfind("%PDF-", 0) != 0) {
    return core::Internal("LibreOffice produced no PDF: " + Tail(output_log, 500));
  }
  return pdf;
}

}  // namespace ucsc::report
