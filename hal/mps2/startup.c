/* Reset for the MPS2 AN386 under QEMU: the vector table at address 0, .data
   copied from flash, the FPU enabled, then newlib's crt0 (_start), which
   zeroes .bss, reads argv and the heap limits by semihosting, runs the static
   constructors and calls main. main's return value becomes QEMU's exit status. */
#include <stdint.h>

extern uint32_t _sidata, _sdata, _edata, _estack;
extern void _start(void);

void Reset_Handler(void);
void Fault_Handler(void);

__attribute__((noreturn)) void Reset_Handler(void) {
  uint32_t* src = &_sidata;
  for (uint32_t* dst = &_sdata; dst < &_edata;) *dst++ = *src++;
  /* CPACR: full access to CP10 and CP11 (the FPU). */
  *(volatile uint32_t*)0xE000ED88u |= (0xFu << 20);
  __asm volatile("dsb\n isb");
  _start();
  for (;;) {}
}

/* A fault ends the run with a distinctive status instead of hanging QEMU. */
__attribute__((noreturn)) void Fault_Handler(void) {
  /* Semihosting SYS_EXIT with ADP_Stopped_RunTimeErrorUnknown. */
  register uint32_t op __asm("r0") = 0x18;
  register uint32_t arg __asm("r1") = 0x20023;
  __asm volatile("bkpt 0xab" : : "r"(op), "r"(arg) : "memory");
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
