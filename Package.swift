// swift-tools-version:6.0
// rkat: target-planning simulator for BPJS Ketenagakerjaan. GPL-3.0-or-later (GSL is GPL-3).
import PackageDescription

let package = Package(
    name: "rkat",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "rkat", targets: ["rkat"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
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
        .target(name: "Fitting", dependencies: ["CGSL"]),
        .target(name: "Planning", dependencies: ["Fitting"]),
        .target(
            name: "PlanIO",
            dependencies: ["Fitting", "Planning", "CXLSXWriter", "CFileSystem", .product(name: "Yams", package: "Yams")]),
        .executableTarget(
            name: "rkat",
            dependencies: [
                "Fitting", "Planning", "PlanIO",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "FittingTests", dependencies: ["Fitting"]),
        // NIST StRD certification through the same code path as `rkat fit` / `rkat regress`.
        .testTarget(name: "NISTTests", dependencies: ["PlanIO", "Fitting"], resources: [.copy("NIST")]),
        .testTarget(name: "PlanningTests", dependencies: ["Planning", "Fitting"]),
        .testTarget(name: "PlanIOTests", dependencies: ["PlanIO", "Planning", "Fitting"]),
        // Runs the built `rkat` binary: exit codes, one-line errors, JSON schema.
        .testTarget(name: "CommandLineTests", dependencies: ["rkat", "PlanIO"]),
    ],
    swiftLanguageModes: [.v6]
)
