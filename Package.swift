// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "pingyi",
    products: [
        .executable(name: "pingyi", targets: ["pingyi"]),
        .library(name: "Stats", targets: ["Stats"]),
        .library(name: "Tables", targets: ["Tables"]),
        .library(name: "Questionnaire", targets: ["Questionnaire"]),
        .library(name: "Store", targets: ["Store"]),
        .library(name: "Exports", targets: ["Exports"]),
        .library(name: "Server", targets: ["Server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        .systemLibrary(name: "CGSL", pkgConfig: "gsl", providers: [.apt(["libgsl-dev"])]),
        .target(name: "Stats", dependencies: ["CGSL"], swiftSettings: strict),
        // zlib's inflate, for reading the parts of an .xlsx package.
        .systemLibrary(name: "CInflate", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // CSV and .xlsx tables (ZipReader opens the .xlsx package, its XML is scanned here;
        // ZIPFoundation writes the workbench's zip downloads).
        .target(name: "Tables", dependencies: ["CInflate", .product(name: "ZIPFoundation", package: "ZIPFoundation")], swiftSettings: strict),
        // HTML fragments with escaping, for the server's pages and the reports.
        .target(name: "Markup", swiftSettings: strict),
        // The files one command writes and another reads: their columns and format versions.
        .target(name: "Formats", dependencies: ["Tables"], swiftSettings: strict),
        .target(name: "Definitions", dependencies: ["Tables", .product(name: "Yams", package: "Yams")], swiftSettings: strict),
        .systemLibrary(name: "CReadStat", providers: [.apt(["libreadstat-dev"])]),
        .systemLibrary(name: "CXlsxWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"])]),
        // QR codes for the online invitation letters (Debian's libqrencode).
        .systemLibrary(name: "CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .target(name: "Questionnaire", dependencies: ["Definitions", "Tables", "Formats"], swiftSettings: strict),
        .target(
            name: "Store",
            dependencies: [
                "Questionnaire", "Tables", "Formats",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict),
        .target(name: "Spreadsheet", dependencies: ["CXlsxWriter"], swiftSettings: strict),
        .target(name: "Exports", dependencies: ["Store", "Questionnaire", "Tables", "Formats", "CReadStat", "Spreadsheet"], swiftSettings: strict),
        .target(name: "Simulation", dependencies: ["Questionnaire", "Tables", "Formats", "Stats", "Store"], swiftSettings: strict),
        .target(name: "Composite", dependencies: ["Tables", "Formats", "Definitions", "Stats"], swiftSettings: strict),
        .target(name: "Analytics", dependencies: ["Stats", "Tables", "Formats", "Questionnaire"], swiftSettings: strict),
        .target(
            name: "Sampling",
            dependencies: ["Stats", "Tables", "Formats", "Definitions", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
        .target(
            name: "Reports",
            dependencies: ["Tables", "Formats", "Markup", "Composite", "Sampling", "Questionnaire", "Spreadsheet"],
            swiftSettings: strict),
        .target(
            name: "Server",
            dependencies: [
                "Store", "Questionnaire", "Markup", "Formats", "Tables", "Sampling", "Analytics", "Exports", "Composite", "Reports", "CQRencode",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "pingyi",
            dependencies: [
                "Stats", "Tables", "Formats", "Definitions", "Sampling", "Analytics", "Questionnaire", "Store", "Exports", "Composite", "Simulation",
                "Reports", "Server",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: strict,
            plugins: ["BuildStamp"]),
        .plugin(name: "BuildStamp", capability: .buildTool()),
        .testTarget(name: "StatsTests", dependencies: ["Stats"], swiftSettings: strict),
        .testTarget(name: "TablesTests", dependencies: ["Tables"], swiftSettings: strict),
        .testTarget(name: "FormatsTests", dependencies: ["Formats", "Tables"], swiftSettings: strict),
        .testTarget(name: "AnalyticsTests", dependencies: ["Analytics", "Tables", "Stats"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "SamplingTests", dependencies: ["Sampling", "Tables"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "DefinitionsTests", dependencies: ["Definitions"], swiftSettings: strict),
        .testTarget(name: "QuestionnaireTests", dependencies: ["Questionnaire", "Definitions"], swiftSettings: strict),
        .testTarget(
            name: "StoreTests",
            dependencies: [
                "Store", "Questionnaire", "Tables", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strict),
        .testTarget(name: "ExportsTests", dependencies: ["Exports", "Store", "Questionnaire", "Tables", "CReadStat"], swiftSettings: strict),
        .testTarget(name: "CompositeTests", dependencies: ["Composite", "Tables"], swiftSettings: strict),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Composite", "Sampling", "Formats"], swiftSettings: strict),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Store", "Questionnaire", "Tables", "Markup", "Sampling", "Analytics", "Exports", "Simulation",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "PingyiTests",
            dependencies: ["pingyi", "Tables", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
    ]
)

// Fuzz harnesses: built only by scripts/fuzz.sh (PINGYI_FUZZ=1, with -sanitize=fuzzer,address in
// a scratch folder of their own); each main hands its input function to libFuzzer's driver
// (FuzzSupport.runFuzzer).
if Context.environment["PINGYI_FUZZ"] == "1" {
    package.targets.append(.target(name: "FuzzSupport", path: "Fuzz/FuzzSupport"))
    let harnesses: [(String, [Target.Dependency])] = [
        ("FuzzTables", ["FuzzSupport", "Tables"]),
        ("FuzzDefinitions", ["FuzzSupport", "Definitions", "Questionnaire", "Sampling"]),
        ("FuzzDraw", ["FuzzSupport", "Sampling", "Tables"]),
    ]
    for (name, dependencies) in harnesses {
        package.targets.append(.executableTarget(name: name, dependencies: dependencies, path: "Fuzz/\(name)"))
        package.products.append(.executable(name: name, targets: [name]))
    }
}

