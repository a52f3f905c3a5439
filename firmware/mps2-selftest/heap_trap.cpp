// Linked with -Wl,--wrap for malloc and friends (and newlib's reentrant
// _r variants): any heap use in the core, the libraries or the C runtime
// ends the run with status 97 and names the function. operator new/delete
// are replaced for the same reason.
#include <cstddef>
#include <new>

#include "hal/mps2/semihosting.hpp"

namespace {
[[noreturn]] void trap(const char* what) {
  posagent::hal::mps2::semihost_write("HEAP TRAP: ");
  posagent::hal::mps2::semihost_write(what);
  posagent::hal::mps2::semihost_write(" called\n");
  posagent::hal::mps2::semihost_exit(97);
}
}  // namespace

extern "C" {
void* __wrap_malloc(std::size_t) { trap("malloc"); }
void* __wrap_calloc(std::size_t, std::size_t) { trap("calloc"); }
void* __wrap_realloc(void*, std::size_t) { trap("realloc"); }
void __wrap_free(void*) { trap("free"); }
void* __wrap__malloc_r(void*, std::size_t) { trap("_malloc_r"); }
void* __wrap__calloc_r(void*, std::size_t, std::size_t) { trap("_calloc_r"); }
void* __wrap__realloc_r(void*, void*, std::size_t) { trap("_realloc_r"); }
void __wrap__free_r(void*, void*) { trap("_free_r"); }
}

void* operator new(std::size_t) { trap("operator new"); }
void* operator new[](std::size_t) { trap("operator new[]"); }
void* operator new(std::size_t, const std::nothrow_t&) noexcept { trap("operator new"); }
void* operator new[](std::size_t, const std::nothrow_t&) noexcept { trap("operator new[]"); }
void operator delete(void*) noexcept { trap("operator delete"); }
void operator delete[](void*) noexcept { trap("operator delete[]"); }
void operator delete(void*, std::size_t) noexcept { trap("operator delete"); }
void operator delete[](void*, std::size_t) noexcept { trap("operator delete[]"); }
