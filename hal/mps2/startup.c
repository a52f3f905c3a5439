/* Reset for the MPS2 AN386 under QEMU: the vector table at address 0, .data
   copied from flash, the FPU enabled, then one of two C start-ups:
   - test images: newlib's rdimon crt0 (_start), which zeroes .bss, reads argv
     and the heap limits by semihosting, sets up stdio (with malloc), runs the
     static constructors and calls main;
   - firmware images (POSAGENT_MPS2_FIRMWARE_CRT): no stdio and no heap: zero
     .bss, run the constructors, call main.
   Either way main's return value becomes QEMU's exit status. */
#include <stdint.h>

extern uint32_t _sidata, _sdata, _edata, _estack, __bss_start__, __bss_end__, end;
extern void _start(void);
extern void __libc_init_array(void);
extern int main(void);

static void semihost_exit(uint32_t reason, uint32_t status) {
  /* SYS_EXIT_EXTENDED: QEMU exits with status. */
  uint32_t args[2] = {reason, status};
  register uint32_t op __asm("r0") = 0x20;
  register uint32_t* arg __asm("r1") = args;
  __asm volatile("bkpt 0xab" : "+r"(op) : "r"(arg) : "memory");
}

void Reset_Handler(void);
void Fault_Handler(void);

#if defined(POSAGENT_MPS2_FIRMWARE_CRT)
/* Stack measurement of firmware images: the free RAM from the end of .bss
   up to just below the start-up's own frame is painted before main; the
   deepest word main's call tree (interrupts included) overwrote marks the
   peak. A pattern a program could write by chance shortens the measured
   peak by at most the run of equal words it wrote. */
#define POSAGENT_STACK_PAINT 0x5AC4F00Du

/* Addresses as integers and volatile accesses: these walk memory that no C
   object covers, which the optimiser must not reason about. */
static void paint_stack(void) {
  uintptr_t sp;
  __asm volatile("mov %0, sp" : "=r"(sp));
  for (uintptr_t a = (uintptr_t)&end; a < sp - 256; a += 4) *(volatile uint32_t*)a = POSAGENT_STACK_PAINT;
}

uint32_t posagent_stack_peak_bytes(void) {
  const uintptr_t top = (uintptr_t)&_estack;
  uintptr_t a = (uintptr_t)&end;
  while (a < top && *(volatile const uint32_t*)a == POSAGENT_STACK_PAINT) a += 4;
  return (uint32_t)(top - a);
}
#endif

__attribute__((noreturn)) void Reset_Handler(void) {
  uint32_t* src = &_sidata;
  for (uint32_t* dst = &_sdata; dst < &_edata;) *dst++ = *src++;
  /* CPACR: full access to CP10 and CP11 (the FPU). */
  *(volatile uint32_t*)0xE000ED88u |= (0xFu << 20);
  __asm volatile("dsb\n isb");
#if defined(POSAGENT_MPS2_FIRMWARE_CRT)
  for (uint32_t* dst = &__bss_start__; dst < &__bss_end__;) *dst++ = 0;
  paint_stack();
  __libc_init_array();
  semihost_exit(0x20026 /* ADP_Stopped_ApplicationExit */, (uint32_t)main());
#else
  _start();
#endif
  for (;;) {}
}

/* A fault ends the run with a distinctive status instead of hanging QEMU. */
__attribute__((noreturn)) void Fault_Handler(void) {
  semihost_exit(0x20023 /* ADP_Stopped_RunTimeErrorUnknown */, 99);
  for (;;) {}
}

__attribute__((section(".isr_vector"), used)) void (*const posagent_vectors[16])(void) = {
    (void (*)(void))(&_estack),
    Reset_Handler,
    Fault_Handler, /* NMI */
    Fault_Handler, /* HardFault */
    Fault_Handler, /* MemManage */
    Fault_Handler, /* BusFault */
    Fault_Handler, /* UsageFault */
};
