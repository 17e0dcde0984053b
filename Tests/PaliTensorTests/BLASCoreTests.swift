import CPaliKernels
import Testing

@testable import PaliTensor

/// The OpenBLAS cores palidoc asks for, per kind of CPU.
@Suite struct BLASCoreTests {
    static let avx2 = UInt32(PALI_ISA_AVX2)
    static let avx512 = avx2 | UInt32(PALI_ISA_AVX512) | UInt32(PALI_ISA_AVX512_VNNI)

    @Test func intelAVX512TakesTheAVX512Kernels() {
        #expect(BLASCore.suitableCores(isa: Self.avx512, vendor: PALI_VENDOR_INTEL).first
            == "SkylakeX")
        let bf16 = Self.avx512 | UInt32(PALI_ISA_AVX512_BF16)
        #expect(BLASCore.suitableCores(isa: bf16, vendor: PALI_VENDOR_INTEL).first == "Cooperlake")
        #expect(!BLASCore.suitableCores(isa: bf16, vendor: PALI_VENDOR_INTEL).contains("Prescott"))
        #expect(!BLASCore.suitableCores(isa: bf16, vendor: PALI_VENDOR_INTEL).contains("Haswell"))
    }

    @Test func amdTakesTheAVX512KernelsWhenItHasAVX512() {
        #expect(BLASCore.suitableCores(isa: Self.avx2, vendor: PALI_VENDOR_AMD) == ["Zen", "Haswell"])
        let bf16 = Self.avx512 | UInt32(PALI_ISA_AVX512_BF16)
        #expect(BLASCore.suitableCores(isa: bf16, vendor: PALI_VENDOR_AMD).first == "Cooperlake")
        #expect(BLASCore.suitableCores(isa: Self.avx512, vendor: PALI_VENDOR_AMD).first == "SkylakeX")
        #expect(!BLASCore.suitableCores(isa: bf16, vendor: PALI_VENDOR_AMD).contains("Zen"))
    }

    @Test func withoutAVX2ThereIsNoPreference() {
        #expect(BLASCore.suitableCores(isa: 0, vendor: PALI_VENDOR_INTEL).isEmpty)
    }

    @Test func aCoreInTheEnvironmentIsKept() {
        #expect(BLASCore.preferredCoreType(environment: ["OPENBLAS_CORETYPE": "Prescott"]) == nil)
    }
}
