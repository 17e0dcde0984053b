#include "CPaliCPU.h"

#include <cpuid.h>
#include <sys/syscall.h>
#include <unistd.h>

#if !defined(__x86_64__) || !defined(__linux__)
#error "palidoc's kernels are written for x86-64 Linux"
#endif

static const char *const level_names[PALI_LEVEL_COUNT] = {
    "portable", "avx2", "avx-vnni", "avx512", "avx512-vnni", "avx512-bf16", "amx",
};

static const unsigned level_own_bits[PALI_LEVEL_COUNT] = {
    0,
    PALI_ISA_AVX2,
    PALI_ISA_AVX_VNNI,
    PALI_ISA_AVX512,
    PALI_ISA_AVX512_VNNI,
    PALI_ISA_AVX512_BF16,
    PALI_ISA_AMX,
};

// AMX-TILE, AMX-INT8 and AMX-BF16 in cpuid, at least one tile palette (cpuid leaf 0x1D: some
// hypervisors advertise AMX with none, and every tile instruction then faults), the tile state
// enabled in XCR0 (bits 17 and 18), and the kernel's leave for this process to use it (Linux ≥
// 5.16 grants it on request, once per process; without it the first tile instruction faults).
static int amx_usable(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    const unsigned amx = (1u << 22) | (1u << 24) | (1u << 25);  // AMX-BF16, -TILE, -INT8
    if ((d & amx) != amx) return 0;
    if (!__get_cpuid_count(0x1d, 0, &a, &b, &c, &d) || a < 1) return 0;  // the highest palette
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27))) return 0;  // OSXSAVE
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & (3u << 17)) != (3u << 17)) return 0;
    enum { ARCH_REQ_XCOMP_PERM = 0x1023, XFEATURE_XTILEDATA = 18 };
    return syscall(SYS_arch_prctl, ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA) == 0;
}

// The compiler's CPU model (libgcc / compiler-rt) checks both cpuid and that the operating
// system saves the wider registers (XCR0), so a bit here is safe to use.
static unsigned detect(void) {
    __builtin_cpu_init();
    unsigned bits = 0;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) bits |= PALI_ISA_AVX2;
    if ((bits & PALI_ISA_AVX2) && __builtin_cpu_supports("avxvnni")) bits |= PALI_ISA_AVX_VNNI;
    if ((bits & PALI_ISA_AVX2) && __builtin_cpu_supports("avx512f") &&
        __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512vl"))
        bits |= PALI_ISA_AVX512;
    if ((bits & PALI_ISA_AVX512) && __builtin_cpu_supports("avx512vnni"))
        bits |= PALI_ISA_AVX512_VNNI;
    if ((bits & PALI_ISA_AVX512) && __builtin_cpu_supports("avx512bf16"))
        bits |= PALI_ISA_AVX512_BF16;
    if ((bits & PALI_ISA_AVX512_VNNI) && amx_usable()) bits |= PALI_ISA_AMX;
    return bits;
}

static unsigned allowed_bits(PaliLevel level) {
    unsigned bits = 0;
    for (int l = 0; l <= (int)level && l < PALI_LEVEL_COUNT; l++) bits |= level_own_bits[l];
    return bits;
}

// -1: not yet detected.
static int detected_bits = -1;
static unsigned cap_bits = ~0u;

unsigned pali_isa_detected(void) {
    int bits = __atomic_load_n(&detected_bits, __ATOMIC_RELAXED);
    if (bits < 0) {
        bits = (int)detect();
        __atomic_store_n(&detected_bits, bits, __ATOMIC_RELAXED);
    }
    return (unsigned)bits;
}

unsigned pali_isa(void) {
    return pali_isa_detected() & __atomic_load_n(&cap_bits, __ATOMIC_RELAXED);
}

unsigned pali_isa_limit(PaliLevel level) {
    __atomic_store_n(&cap_bits, allowed_bits(level), __ATOMIC_RELAXED);
    return pali_isa();
}

unsigned pali_level_bits(PaliLevel level) {
    return level >= 0 && level < PALI_LEVEL_COUNT ? level_own_bits[level] : 0;
}

const char *pali_level_name(PaliLevel level) {
    return level >= 0 && level < PALI_LEVEL_COUNT ? level_names[level] : "unknown";
}

PaliLevel pali_isa_level(void) {
    unsigned bits = pali_isa();
    PaliLevel best = PALI_LEVEL_PORTABLE;
    for (int l = 1; l < PALI_LEVEL_COUNT; l++)
        if (bits & level_own_bits[l]) best = (PaliLevel)l;
    return best;
}

PaliVendor pali_cpu_vendor(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_is("intel")) return PALI_VENDOR_INTEL;
    if (__builtin_cpu_is("amd")) return PALI_VENDOR_AMD;
    return PALI_VENDOR_OTHER;
}
