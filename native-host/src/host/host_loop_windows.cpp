// Windows: stdin is an anonymous pipe, which WaitForMultipleObjects cannot
// wait on and overlapped I/O cannot read, so a reader thread does blocking
// ReadFile through the FrameReader and hands whole frames to the main thread
// through a small bounded queue. The main thread waits on the queue's event
// and the policy watcher's change handles together, so a subscribed host
// sends policyChanged while no message is arriving.
//
// Hand-written on Win32 primitives (not std::thread): Debian's default
// mingw-w64 g++ uses the win32 thread model, which has no std::thread.
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>

#include <deque>
#include <memory>

#include "host/host_loop.h"

namespace postguard::host {
namespace {

// Frames read ahead at most; the reader blocks beyond this, so a burst of
// messages is never held in memory all at once.
constexpr size_t kMaxQueuedFrames = 16;

class FrameQueue {
 public:
  FrameQueue() {
    InitializeSRWLock(&lock_);
    InitializeConditionVariable(&space_);
    ready_ = CreateEventW(nullptr, TRUE, FALSE, nullptr);  // manual reset: set while frames wait
  }
  ~FrameQueue() { CloseHandle(ready_); }
  FrameQueue(const FrameQueue&) = delete;
  FrameQueue& operator=(const FrameQueue&) = delete;

  HANDLE ready_event() const { return ready_; }

  // Reader side: blocks while the queue is full.
  void push(Frame f) {
    AcquireSRWLockExclusive(&lock_);
    while (frames_.size() >= kMaxQueuedFrames) SleepConditionVariableSRW(&space_, &lock_, INFINITE, 0);
    frames_.push_back(std::move(f));
    SetEvent(ready_);
    ReleaseSRWLockExclusive(&lock_);
  }

  // Main side: the oldest frame, if any; clears the event when emptied.
  bool pop(Frame& f) {
    AcquireSRWLockExclusive(&lock_);
    const bool any = !frames_.empty();
    if (any) {
      f = std::move(frames_.front());
      frames_.pop_front();
      WakeConditionVariable(&space_);
    }
    if (frames_.empty()) ResetEvent(ready_);
    ReleaseSRWLockExclusive(&lock_);
    return any;
  }

 private:
  SRWLOCK lock_;
  CONDITION_VARIABLE space_;
  HANDLE ready_;
  std::deque<Frame> frames_;
};

// What the loop and its reader share. Whichever stops last frees it: the
// loop may return (the browser closed our stdout) while the reader is still
// blocked in ReadFile, and a blocked ReadFile on a pipe cannot be cancelled
// portably; the process exiting ends it.
struct Shared {
  explicit Shared(intptr_t input) : in(input) {}
  void release() {
    if (InterlockedDecrement(&refs) == 0) delete this;
  }
  intptr_t in;
  FrameQueue queue;
  LONG refs = 2;
};

// Reads frames until one ends the conversation (end of stream, truncation,
// read error), which is queued too so the session sees it.
DWORD WINAPI reader_thread(void* p) {
  auto* shared = static_cast<Shared*>(p);
  FileSource in(shared->in);
  FrameReader reader(in);
  for (;;) {
    Frame f = reader.next();
    const bool last = f.status == FrameStatus::end_of_stream || f.status == FrameStatus::truncated ||
                      f.status == FrameStatus::read_error;
    shared->queue.push(std::move(f));
    if (last) break;
  }
  shared->release();
  return 0;
}

struct Releaser {
  Shared* shared;
  ~Releaser() { shared->release(); }
};

}  // namespace

int run_host_loop(HostSession& session, const PolicySources& sources, intptr_t in, intptr_t out_handle) {
  FileSink out(out_handle);
  auto* shared = new Shared(in);
  HANDLE reader = CreateThread(nullptr, 0, reader_thread, shared, 0, nullptr);
  if (reader == nullptr) {
    delete shared;
    return 1;
  }
  CloseHandle(reader);
  const Releaser releaser{shared};
  FrameQueue& queue = shared->queue;

  std::unique_ptr<ChangeWatcher> watcher;
  for (;;) {
    if (!sync_watcher(session, sources, watcher, out)) return 0;

    std::vector<HANDLE> handles{queue.ready_event()};
    if (watcher) {
      for (intptr_t h : watcher->wait_handles()) {
        if (handles.size() < MAXIMUM_WAIT_OBJECTS) handles.push_back(reinterpret_cast<HANDLE>(h));
      }
    }
    const DWORD timeout = watcher ? static_cast<DWORD>(watcher->poll_interval_ms()) : INFINITE;
    const DWORD woke = WaitForMultipleObjects(static_cast<DWORD>(handles.size()), handles.data(), FALSE, timeout);
    if (woke == WAIT_FAILED) return 1;

    const bool watch_woke = woke == WAIT_TIMEOUT || (woke > WAIT_OBJECT_0 && woke < WAIT_OBJECT_0 + handles.size());
    if (watcher && watch_woke) {
      // changed() re-arms the notifications and waits out the save's burst.
      if (watcher->changed() && !send_all(out, session.on_policy_maybe_changed())) return 0;
    }

    Frame f;
    while (queue.pop(f)) {
      const HostSession::Step step = session.on_frame(f);
      if (!send_step(out, step)) return step.exit_code.value_or(0);
      if (step.exit_code) return *step.exit_code;
      // A subscribe just arrived: arm the watcher before the next frame.
      if (session.wants_policy_changes() != (watcher != nullptr)) break;
    }
  }
}

}  // namespace postguard::host
