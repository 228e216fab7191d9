// Private helper: Clang thread-safety annotations (leveldb port/thread_annotations.h) and an
// annotated std::mutex wrapper (leveldb port::Mutex), so `clang -Wthread-safety` can check
// GUARDED_BY / REQUIRES. The macros expand to nothing on other compilers.
// Thread-safety: Mutex and MutexLock are the synchronisation primitives themselves.
#pragma once

#include <mutex>

#if defined(__clang__)
#define UCSC_AUTH_THREAD_ANNOTATION_(x) __attribute__((x))
#else
#define UCSC_AUTH_THREAD_ANNOTATION_(x)
#endif

#ifndef GUARDED_BY
#define GUARDED_BY(x) UCSC_AUTH_THREAD_ANNOTATION_(guarded_by(x))
#endif
#ifndef REQUIRES
#define REQUIRES(...) UCSC_AUTH_THREAD_ANNOTATION_(requires_capability(__VA_ARGS__))
#endif
#ifndef EXCLUDES
#define EXCLUDES(...) UCSC_AUTH_THREAD_ANNOTATION_(locks_excluded(__VA_ARGS__))
#endif
#ifndef CAPABILITY
#define CAPABILITY(x) UCSC_AUTH_THREAD_ANNOTATION_(capability(x))
#endif
#ifndef SCOPED_CAPABILITY
#define SCOPED_CAPABILITY UCSC_AUTH_THREAD_ANNOTATION_(scoped_lockable)
#endif
#ifndef ACQUIRE
#define ACQUIRE(...) UCSC_AUTH_THREAD_ANNOTATION_(acquire_capability(__VA_ARGS__))
#endif
#ifndef RELEASE
#define RELEASE(...) UCSC_AUTH_THREAD_ANNOTATION_(release_capability(__VA_ARGS__))
#endif

namespace ucsc::auth::internal {

// A std::mutex that Clang's thread-safety analysis understands.
class CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ACQUIRE() { mu_.lock(); }
  void Unlock() RELEASE() { mu_.unlock(); }

 private:
  std::mutex mu_;
};

// RAII lock of a Mutex (std::lock_guard with annotations). `mu` must outlive the lock.
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) ACQUIRE(mu) : mu_(mu) { mu_.Lock(); }
  ~MutexLock() RELEASE() { mu_.Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex& mu_;
};

}  // namespace ucsc::auth::internal
