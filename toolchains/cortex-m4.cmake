# Arm Cortex-M4F bare metal (arm-none-eabi, newlib-nano), tests run on QEMU's
# MPS2 AN386 board with semihosting for output, argv and the exit status.
# The C start-up (rdimon for tests, none for firmware) comes with the board
# library a program links (hal/mps2).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
# The gcc- wrappers index the link-time-optimisation objects in archives.
set(CMAKE_AR arm-none-eabi-gcc-ar)
set(CMAKE_RANLIB arm-none-eabi-gcc-ranlib)
set(CMAKE_SIZE arm-none-eabi-size)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(POSAGENT_TARGET "cortex-m4" CACHE STRING "" FORCE)

set(_cpu "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16")
# Link-time optimisation: every program is optimised whole at link time
# (about 9 KB less flash in the firmware image). The objects are fat (machine
# code beside the optimiser's IR) so that a program can also be linked
# without it (-fno-lto): the footprint report's per-component image, whose
# linker map still names the library of every section.
set(_lto "-flto=auto -ffat-lto-objects")
# Each object's frame sizes (.su beside it) for the footprint report.
set(_common "${_cpu} -ffunction-sections -fdata-sections ${_lto} -fstack-usage")
set(CMAKE_C_FLAGS_INIT "${_common}")
set(CMAKE_CXX_FLAGS_INIT "${_common} -fno-exceptions -fno-rtti -fno-threadsafe-statics")
set(CMAKE_EXE_LINKER_FLAGS_INIT "${_cpu} -flto=auto --specs=nano.specs -Wl,--gc-sections -T ${CMAKE_CURRENT_LIST_DIR}/../hal/mps2/mps2_an386.ld")

set(CMAKE_CROSSCOMPILING_EMULATOR
    qemu-system-arm -M mps2-an386 -nographic -monitor none -serial none
    -semihosting-config enable=on,target=native -kernel)

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
