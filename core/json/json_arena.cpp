#include "core/json/json_arena.hpp"

#include <cJSON.h>

#include "core/base/secure_wipe.hpp"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
// On sanitized host builds the unallocated part of an arena is poisoned, so
// an overrun of one cJSON allocation is caught like a heap overflow would be.
#define POSAGENT_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define POSAGENT_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POSAGENT_POISON(p, n) ((void)(p), (void)(n))
#define POSAGENT_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace posagent {
namespace {

// Single-threaded by design (see the header): plain globals, no locking.
JsonArenaBase* g_active_arena = nullptr;
bool g_hooks_installed = false;

void* arena_malloc(std::size_t size) {
  // No bound arena means a bug in this module; failing the allocation makes
  // cJSON return an error instead of touching the heap.
  return g_active_arena != nullptr ? g_active_arena->allocate(size) : nullptr;
}

// Bump allocation: individual frees are meaningless, reset() reclaims all.
void arena_free(void*) {}

constexpr std::size_t kAlignment = alignof(std::max_align_t);

}  // namespace

void json_init() {
  // With both hooks set cJSON never uses realloc (it copies instead), so
  // malloc and free are all it needs.
  cJSON_Hooks hooks{arena_malloc, arena_free};
  cJSON_InitHooks(&hooks);
  g_hooks_installed = true;
}

bool json_initialized() { return g_hooks_installed; }

JsonArenaBase::JsonArenaBase(std::byte* storage, std::size_t capacity)
    : storage_(storage), capacity_(capacity) {
  POSAGENT_POISON(storage_, capacity_);
}

JsonArenaBase::~JsonArenaBase() {
  if (g_active_arena == this) g_active_arena = nullptr;
  POSAGENT_UNPOISON(storage_, capacity_);
}

void JsonArenaBase::reset() {
  used_ = 0;
  exhausted_ = false;
  ++generation_;
  POSAGENT_POISON(storage_, capacity_);
}

void JsonArenaBase::wipe() {
  // The free space is poisoned in sanitized builds; the wipe must reach it.
  POSAGENT_UNPOISON(storage_, capacity_);
  secure_wipe(static_cast<void*>(storage_), capacity_);
  reset();
}

void JsonArenaBase::bind() { g_active_arena = this; }

void* JsonArenaBase::allocate(std::size_t size) {
  const std::size_t start = (used_ + kAlignment - 1) & ~(kAlignment - 1);
  if (start > capacity_ || size > capacity_ - start) {
    exhausted_ = true;
    return nullptr;
  }
  used_ = start + size;
  if (used_ > peak_) peak_ = used_;
  POSAGENT_UNPOISON(storage_ + start, size);
  return storage_ + start;
}

}  // namespace posagent
