// swift-tools-version: 6.1
// palidoc: a native Swift document-understanding pipeline around PaliGemma / PaliGemma 2.
// Builds on x86-64 Linux (the C kernels are x86-64 intrinsics, the watcher uses inotify).
// Targets and their import direction are fixed in docs/architecture.md (checked by make test).
// Each area keeps its targets in its own `// MARK:` section below.

import PackageDescription

var targets: [Target] = []

// MARK: - System libraries (pkg-config; apt providers named for `swift build` hints)

targets += [
    .systemLibrary(
        name: "CPoppler", pkgConfig: "poppler-glib",
        providers: [.apt(["libpoppler-glib-dev"])]),
    .systemLibrary(
        name: "CTIFF", pkgConfig: "libtiff-4",
        providers: [.apt(["libtiff-dev"])]),
    .systemLibrary(
        name: "COpenBLAS", pkgConfig: "openblas",
        providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(
        name: "CLibXML2", pkgConfig: "libxml-2.0",
        providers: [.apt(["libxml2-dev"])]),
    .target(name: "CXMLShim", dependencies: ["CLibXML2"]),
]

// MARK: - Raster

targets += [
    .target(name: "Raster"),
    .testTarget(name: "RasterTests", dependencies: ["Raster"]),
]

// MARK: - Engine (PaliTensor, PaliTokenizer, PaliGemma)

targets += [
    .target(name: "PaliTokenizer"),
    .testTarget(name: "PaliTokenizerTests", dependencies: ["PaliTokenizer", "PaliTestSupport"]),
    .target(name: "PaliTensor", dependencies: ["COpenBLAS", "CPaliKernels"]),
    .testTarget(name: "PaliTensorTests", dependencies: ["PaliTensor", "PaliTestSupport"]),
    .target(
        name: "PaliGemma", dependencies: ["PaliTensor", "PaliTokenizer", "Raster"]),
    .testTarget(
        name: "PaliGemmaTests",
        dependencies: ["PaliGemma", "PaliTensor", "PaliTokenizer", "Raster", "PaliTestSupport"]),
]

// MARK: - Performance kernels (f32, bf16 and int8 weight products, activations, fused tiled
// attention; one CPU-feature dispatcher from portable C up to AVX-512 VNNI / BF16)

targets += [
    // Optimised in debug builds too: at -O0 the intrinsics kernels are several times slower,
    // and every debug test and CLI run goes through them.
    .target(name: "CPaliKernels", cSettings: [.unsafeFlags(["-O2"])]),
]

// MARK: - Documents (DocumentModel, DocumentIngest, DocumentTasks, DocumentExport)

targets += [
    .target(name: "DocumentModel"),
    .testTarget(name: "DocumentModelTests", dependencies: ["DocumentModel"]),
]

// MARK: - Ingest (DocumentIngest)

targets += [
    .systemLibrary(
        name: "CJPEG", pkgConfig: "libjpeg",
        providers: [.apt(["libjpeg-dev"])]),
    .systemLibrary(
        name: "CPopplerCpp", pkgConfig: "poppler-cpp",
        providers: [.apt(["libpoppler-cpp-dev"])]),
    .target(name: "CPopplerSplash", dependencies: ["CPopplerCpp"]),
    .target(
        name: "DocumentIngest",
        dependencies: ["CPopplerSplash", "CPoppler", "CTIFF", "CJPEG", "Raster", "DocumentModel"]),
    .testTarget(
        name: "DocumentIngestTests",
        dependencies: [
            "DocumentIngest", "Raster", "DocumentModel", "CPoppler", "CPopplerSplash", "CTIFF",
            "PaliTestSupport",
        ]),
]

// MARK: - Tasks and exporters (DocumentTasks, DocumentExport)

targets += [
    .target(name: "DocumentTasks", dependencies: ["DocumentModel"]),
    .target(name: "DocumentExport", dependencies: ["DocumentModel", "CXMLShim"]),
    .testTarget(name: "DocumentTasksTests", dependencies: ["DocumentTasks", "PaliTestSupport"]),
    .testTarget(
        name: "DocumentExportTests",
        dependencies: ["DocumentExport", "DocumentTasks", "PaliTestSupport"]),
]

// MARK: - Pipeline and CLI

targets += [
    // The shipped pipelines/*.yaml, built into DocumentPipeline as Swift source so an installed
    // binary finds them without a checkout.
    .executableTarget(name: "EmbedPipelines"),
    .plugin(name: "PipelineEmbedder", capability: .buildTool(), dependencies: ["EmbedPipelines"]),
    .target(
        name: "DocumentPipeline",
        dependencies: [
            "DocumentModel", "DocumentIngest", "DocumentTasks", "DocumentExport", "Raster",
            "PaliGemma", "PaliTensor", "PaliTokenizer",
            .product(name: "Yams", package: "Yams"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ],
        plugins: ["PipelineEmbedder"]),
    .testTarget(
        name: "DocumentPipelineTests",
        dependencies: [
            "DocumentPipeline", "DocumentModel", "DocumentIngest", "DocumentExport", "Raster",
            "DocumentTasks", "PaliTestSupport", "CPoppler",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
    .executableTarget(
        name: "palidoc",
        dependencies: [
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            "PaliTokenizer",
            "DocumentExport",
            "DocumentIngest",
            "PaliGemma",
            "PaliTensor",
            "Raster",
            "DocumentModel",
            "DocumentPipeline",
            "PostgresJobStore",
        ]),
]

// MARK: - Many machines (PostgreSQL job store; the only target importing PostgresNIO)

targets += [
    .target(
        name: "PostgresJobStore",
        dependencies: [
            "DocumentPipeline",
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
    .testTarget(
        name: "PostgresJobStoreTests",
        dependencies: ["PostgresJobStore", "DocumentPipeline", "PaliTestSupport"]),
]

// MARK: - Test support

targets += [
    .target(name: "PaliTestSupport", path: "Sources/PaliTestSupport"),
    .testTarget(
        name: "palidocTests",
        dependencies: ["palidoc", "PaliTensor", "PaliTestSupport", "DocumentExport"]),
    .testTarget(
        name: "SystemLibrariesTests",
        dependencies: ["CPoppler", "CTIFF", "COpenBLAS", "CXMLShim"]),
]

let package = Package(
    name: "palidoc",
    products: [
        .executable(name: "palidoc", targets: ["palidoc"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: targets
)
