/* Reset for the MPS2 AN386 under QEMU: the vector table at address 0, .data
   copied from flash, the FPU enabled, then one of two C start-ups:
   - test images: newlib's rdimon crt0 (_start), which zeroes .bss, reads argv
     and the heap limits by semihosting, sets up stdio (with malloc), runs the
     static constructors and calls main;
   - firmware images (POSAGENT_MPS2_FIRMWARE_CRT): no stdio and no heap: zero
     .bss, run the constructors, call main.
   Either way main's return value becomes QEMU's exit status. */
#include <stdint.h>

extern uint32_t _sidata, _sdata, _edata, _estack, __bss_start__, __bss_end__;
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

__attribute__((noreturn)) void Reset_Handler(void) {
  uint32_t* src = &_sidata;
  for (uint32_t* dst = &_sdata; dst < &_edata;) *dst++ = *src++;
  /* CPACR: full access to CP10 and CP11 (the FPU). */
  *(volatile uint32_t*)0xE000ED88u |= (0xFu << 20);
  __asm volatile("dsb\n isb");
#if defined(POSAGENT_MPS2_FIRMWARE_CRT)
  for (uint32_t* dst = &__bss_start__; dst < &__bss_end__;) *dst++ = 0;
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
