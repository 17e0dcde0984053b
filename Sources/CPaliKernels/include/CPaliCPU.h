// The one CPU-feature dispatcher of the C kernels. Every kernel asks `pali_isa()` which
// instruction-set extensions it may use; tests cap them at each level in turn
// (`pali_isa_limit`) so every path the CPU can run is checked against the portable one.
#ifndef CPALICPU_H
#define CPALICPU_H

/// Instruction-set extensions the kernels use, one bit each.
enum {
    /// AVX2 + FMA (256-bit float and integer vectors).
    PALI_ISA_AVX2 = 1 << 0,
    /// AVX-VNNI: 256-bit VEX `vpdpwssd` (int16 pairs multiplied and added into int32).
    PALI_ISA_AVX_VNNI = 1 << 1,
    /// AVX-512 F, BW, DQ and VL.
    PALI_ISA_AVX512 = 1 << 2,
    /// AVX512_VNNI: `vpdpwssd` on 512-bit (and, with VL, 256-bit) vectors.
    PALI_ISA_AVX512_VNNI = 1 << 3,
    /// AVX512_BF16: `vdpbf16ps` (bf16 pairs multiplied and added into float32).
    PALI_ISA_AVX512_BF16 = 1 << 4,
    /// AMX-TILE, AMX-INT8 and AMX-BF16, with the operating system's leave to use the tile
    /// registers: many-row int8 and bf16 products through oneDNN (CPaliOneDNN.h), which drives
    /// the tiles.
    PALI_ISA_AMX = 1 << 5,
};

/// Levels for capping the extensions, each allowing its own and every lower level's bits.
/// A CPU need not have every bit below its best level (an AVX-512 CPU without AVX-VNNI runs
/// the AVX-512 level without it).
typedef enum {
    PALI_LEVEL_PORTABLE = 0,
    PALI_LEVEL_AVX2 = 1,
    PALI_LEVEL_AVX_VNNI = 2,
    PALI_LEVEL_AVX512 = 3,
    PALI_LEVEL_AVX512_VNNI = 4,
    PALI_LEVEL_AVX512_BF16 = 5,
    PALI_LEVEL_AMX = 6,
    PALI_LEVEL_COUNT = 7,
} PaliLevel;

/// The extensions this CPU (and its operating system) supports, whatever the cap.
unsigned pali_isa_detected(void);

/// The extensions the kernels use now: detected ones allowed by the cap.
unsigned pali_isa(void);

/// Allows only the extensions of `level` and below from now on (`PALI_LEVEL_COUNT - 1`
/// allows all); returns the extensions now in use.
unsigned pali_isa_limit(PaliLevel level);

/// The bits a level adds to the one below it (0 for the portable level).
unsigned pali_level_bits(PaliLevel level);

/// A level's name as the CLI and the tests print it: "portable", "avx2", "avx-vnni",
/// "avx512", "avx512-vnni", "avx512-bf16", "amx".
const char *pali_level_name(PaliLevel level);

/// The highest level whose own bits this CPU has, within the cap.
PaliLevel pali_isa_level(void);

/// The CPU's vendor, for choices that depend on how a vendor implements an extension (the
/// ports behind AVX512_BF16's `vdpbf16ps` against those behind FMAs).
typedef enum { PALI_VENDOR_OTHER = 0, PALI_VENDOR_INTEL = 1, PALI_VENDOR_AMD = 2 } PaliVendor;
PaliVendor pali_cpu_vendor(void);

#endif
