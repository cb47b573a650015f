// Shared by the host tests: temporary policy roots on the real filesystem,
// and the real postguard-host binary driven through pipes.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/framing.h"

namespace host_test {

namespace fs = std::filesystem;
using nlohmann::json;

// A fresh folder under /tmp, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "pg-host-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  fs::path path_;
};

inline void write_file(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

inline std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline std::string corpus_bundle(const std::string& org) {
  return read_text(fs::path(POSTGUARD_CORPUS_DIR) / "orgs" / (org + ".json"));
}

// A policy root with the tarka bundle and an overlay selecting a school.
inline void write_tarka_root(const fs::path& root, const std::string& school = "bideford-road") {
  write_file(root / "policy.json", corpus_bundle("tarka"));
  write_file(root / "policy.d" / "10-school.json", R"({"format": "postguard/1", "school": ")" + school + "\"}");
}

// The real postguard-host, started through fork/exec with its stdin and
// stdout on pipes, as a browser starts it.
class HostProcess {
 public:
  // `env`: extra variables for the host (e.g. LANG); `stderr_path`: where its
  // log goes (inherited when empty).
  HostProcess(const std::vector<std::string>& args, const std::string& policy_root,
              const std::vector<std::pair<std::string, std::string>>& env = {}, const std::string& stderr_path = "") {
    int in[2], out[2];
    if (::pipe(in) != 0 || ::pipe(out) != 0) throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      ::dup2(in[0], STDIN_FILENO);
      ::dup2(out[1], STDOUT_FILENO);
      ::close(in[0]);
      ::close(in[1]);
      ::close(out[0]);
      ::close(out[1]);
      ::setenv("POSTGUARD_POLICY_ROOT", policy_root.c_str(), 1);
      for (const auto& [name, value] : env) ::setenv(name.c_str(), value.c_str(), 1);
      if (!stderr_path.empty()) {
        const int err = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (err >= 0) ::dup2(err, STDERR_FILENO);
      }
      std::vector<char*> argv;
      std::string bin = POSTGUARD_HOST_BIN;
      argv.push_back(bin.data());
      std::vector<std::string> copy = args;
      for (auto& a : copy) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(bin.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    to_host_ = in[1];
    from_host_ = out[0];
  }
  ~HostProcess() {
    close_input();
    if (from_host_ >= 0) ::close(from_host_);
    if (pid_ > 0 && !exit_code_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  HostProcess(const HostProcess&) = delete;
  HostProcess& operator=(const HostProcess&) = delete;

  bool send_raw(const std::string& bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t w = ::write(to_host_, bytes.data() + done, bytes.size() - done);
      if (w < 0) {
        if (errno == EINTR) continue;
        return false;
      }
      done += static_cast<size_t>(w);
    }
    return true;
  }
  bool send(const std::string& payload) { return send_raw(postguard::host::encode_frame(payload)); }
  bool send(const json& j) { return send(j.dump()); }
  bool send(const char* payload) { return send(std::string(payload)); }

  void close_input() {
    if (to_host_ >= 0) ::close(to_host_);
    to_host_ = -1;
  }

  // The next message from the host, or nullopt on timeout / end of stream.
  std::optional<std::string> receive(int timeout_ms = 5000) {
    char prefix[4];
    if (!read_exact(prefix, 4, timeout_ms)) return std::nullopt;
    uint32_t n = 0;
    std::memcpy(&n, prefix, 4);
    std::string body(n, '\0');
    if (n && !read_exact(body.data(), n, timeout_ms)) return std::nullopt;
    return body;
  }
  std::optional<json> receive_json(int timeout_ms = 5000) {
    auto m = receive(timeout_ms);
    if (!m) return std::nullopt;
    return json::parse(*m);
  }

  // Waits for the process to end; its exit code (or -signal).
  int wait_exit(int timeout_ms = 5000) {
    if (exit_code_) return *exit_code_;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      const pid_t r = ::waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
        return *exit_code_;
      }
      ::usleep(5000);
    }
    return 1000;  // still running
  }
  pid_t pid() const { return pid_; }
  int input_fd() const { return to_host_; }

 private:
  bool read_exact(char* buf, size_t n, int timeout_ms) {
    size_t got = 0;
    while (got < n) {
      pollfd p{from_host_, POLLIN, 0};
      if (::poll(&p, 1, timeout_ms) <= 0) return false;
      const ssize_t r = ::read(from_host_, buf + got, n - got);
      if (r <= 0) return false;
      got += static_cast<size_t>(r);
    }
    return true;
  }

  pid_t pid_ = -1;
  int to_host_ = -1;
  int from_host_ = -1;
  std::optional<int> exit_code_;
};

// A Firefox-style caller (manifest path + add-on id) that the manifest allows.
struct AllowedCaller {
  TempDir dir;
  std::vector<std::string> args;
  AllowedCaller() {
    const auto manifest = dir.path() / "org.postguard.host.json";
    write_file(manifest, R"({"name": "org.postguard.host", "path": "/x", "type": "stdio",
                             "allowed_extensions": ["postguard@tests"]})");
    args = {manifest.string(), "postguard@tests"};
  }
};

}  // namespace host_test
