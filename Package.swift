// swift-tools-version:6.1
// rkat: target-planning simulator for BPJS Ketenagakerjaan. GPL-3.0-or-later (GSL is GPL-3).
import PackageDescription

/// No Double becomes an integer except through `Whole` (Sources/Fitting/Support/Whole.swift): every
/// file sees Fitting's deprecated shadows of `Int(_: Double)` and kin (the module imported
/// implicitly), and using a deprecated declaration is an error.
let noDoubleToIntegerTraps: [SwiftSetting] = [
    .unsafeFlags(["-Xfrontend", "-import-module", "-Xfrontend", "Fitting", "-Werror", "DeprecatedDeclaration"])
]

/// The numeric modules are optimised in debug builds too (-O keeps overflow checks and preconditions,
/// though a failed precondition's message is not printed):
/// the test suite's simulation-based calibration, the fuzzer and the edit race run the debug build.
/// On this machine `swift test` took 98 s (493 s unoptimised in the clean-clone CI run before), the
/// first build 52 s longer.
let optimised: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "rkat",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "rkat", targets: ["rkat"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // `rkat serve` only (the Serve module); no default traits (no swift-configuration).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        // Hummingbird's own dependencies, named because Serve uses their types (logger, header names, signals).
        .package(url: "https://github.com/apple/swift-log", from: "1.14.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        // The request line and every Host header as they arrived (Serve's RequestLineGuard), before
        // HTTPTypes keeps only the first Host and drops an absolute-form target's host.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        // Reading .xlsx workbooks (PlanIO's Workbook): the zip container, inflated through zlib.
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // C shims: only `Fitting` (GSL) and the xlsx writer in `PlanIO` see C types.
        .systemLibrary(
            name: "CGSL", pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"]), .brew(["gsl"])]),
        .systemLibrary(
            name: "CXLSXWriter", pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"]), .brew(["libxlsxwriter"])]),
        // Atomic renames (renameat2) for replacing an output folder in one step.
        .target(name: "CFileSystem"),
        .target(name: "Fitting", dependencies: ["CGSL"], swiftSettings: noDoubleToIntegerTraps + optimised),
        .target(name: "Planning", dependencies: ["Fitting"], swiftSettings: noDoubleToIntegerTraps + optimised),
        .target(
            name: "PlanIO",
            dependencies: [
                "Fitting", "Planning", "CXLSXWriter", "CFileSystem", .product(name: "Yams", package: "Yams"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: noDoubleToIntegerTraps),
        // The local what-if server (`rkat serve`): the only module that links Hummingbird.
        .target(
            name: "Serve",
            dependencies: [
                "Planning", "PlanIO", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            ], swiftSettings: noDoubleToIntegerTraps),
        .executableTarget(
            name: "rkat",
            dependencies: [
                "Fitting", "Planning", "PlanIO", "Serve",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ], swiftSettings: noDoubleToIntegerTraps),
        .testTarget(name: "FittingTests", dependencies: ["Fitting"]),
        // NIST StRD certification through the same code path as `rkat fit` / `rkat regress`.
        .testTarget(name: "NISTTests", dependencies: ["PlanIO", "Fitting"], resources: [.copy("NIST")]),
        .testTarget(name: "PlanningTests", dependencies: ["Planning", "Fitting"]),
        .testTarget(name: "PlanIOTests", dependencies: ["PlanIO", "Planning", "Fitting", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(name: "ServeTests", dependencies: ["Serve", "PlanIO", "Planning"]),
        // Runs the built `rkat` binary: exit codes, one-line errors, JSON schema.
        .testTarget(name: "CommandLineTests", dependencies: ["rkat", "PlanIO"]),
    ],
    swiftLanguageModes: [.v6]
)
