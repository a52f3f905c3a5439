// The fixed memory cJSON allocates from: a bump allocator whose free is a
// no-op, reset once per message. A message either fits in its arena or fails
// with kCapacityExceeded; nothing ever reaches the heap.
//
// cJSON's allocation hooks are process-wide (cJSON_InitHooks), so json_init()
// installs them once at startup and the hooks forward to the "active" arena:
// the one the current parse or writer call binds. Consequences:
//   - cJSON is single-threaded here: all JSON work runs on one thread.
//   - One document (parsed or being written) is live at a time per arena:
//     parsing or starting a writer resets the arena, and views into the
//     previous document report kInternal ("json doc is stale") from then on.
//   - Two arenas may hold two live documents (a response being read while a
//     request is built), since reads never allocate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace posagent {

// Installs cJSON's allocation hooks. Call once at startup, before any parse
// or writer; parsing and writing refuse to run (kInternal) until it has run,
// so cJSON can never fall back to malloc.
void json_init();
bool json_initialized();

class JsonArenaBase {
 public:
  JsonArenaBase(const JsonArenaBase&) = delete;
  JsonArenaBase& operator=(const JsonArenaBase&) = delete;

  // Forgets every allocation and starts the next generation: documents and
  // writers built on the previous one become stale.
  void reset();
  // reset(), after zeroing every byte (secure_wipe): for an arena that held
  // secrets, e.g. a card request body built in it (cJSON copies each string).
  void wipe();
  // Aligned like malloc; nullptr (and exhausted() from then on) when the
  // request does not fit. Memory is reclaimed only by reset().
  void* allocate(std::size_t size);
  // Makes this arena the one cJSON's hooks allocate from.
  void bind();

  std::size_t capacity() const { return capacity_; }
  std::size_t used() const { return used_; }
  // The most any message has used since construction: what to size N by.
  std::size_t peak() const { return peak_; }
  // An allocation failed since the last reset.
  bool exhausted() const { return exhausted_; }
  std::uint32_t generation() const { return generation_; }
  // The storage, for tests that prove a wipe.
  std::span<const std::byte> bytes() const { return {storage_, capacity_}; }

 protected:
  JsonArenaBase(std::byte* storage, std::size_t capacity);
  ~JsonArenaBase();

 private:
  std::byte* storage_;
  std::size_t capacity_;
  std::size_t used_ = 0;
  std::size_t peak_ = 0;
  std::uint32_t generation_ = 0;
  bool exhausted_ = false;
};

// An arena of N bytes. Keep it static (not on the stack) on small targets.
template <std::size_t N>
class JsonArena final : public JsonArenaBase {
 public:
  static_assert(N >= 64, "an arena must hold at least one cJSON node");
  JsonArena() : JsonArenaBase(storage_, N) {}

 private:
  alignas(alignof(std::max_align_t)) std::byte storage_[N];
};

}  // namespace posagent
