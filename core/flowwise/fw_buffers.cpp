#include "core/flowwise/fw_buffers.hpp"

#include "core/base/secure_wipe.hpp"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

namespace posagent::flowwise {

void WipeableJsonArenaBase::wipe() {
#if defined(__SANITIZE_ADDRESS__)
  // Sanitized builds poison the arena's free space (json_arena.cpp); the wipe
  // must reach it too, and reset() poisons it again.
  ASAN_UNPOISON_MEMORY_REGION(storage_, size_);
#endif
  secure_wipe(static_cast<void*>(storage_), size_);
  reset();
}

}  // namespace posagent::flowwise
