// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "planscribe",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "PlanScribe", targets: ["PlanScribe"]),
        .executable(name: "planscribe", targets: ["planscribe"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CMarkGFM",
            path: "Sources/CMarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [
                .apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev", "pkg-config"]),
                .brew(["cmark-gfm", "pkg-config"]),
            ]
        ),
        .target(
            name: "PlanScribeTemplates",
            path: "Templates",
            exclude: ["README.md"],
            sources: ["PlanScribeTemplates.swift"],
            resources: [.copy("html"), .copy("markdown")]
        ),
        .target(
            name: "PlanScribe",
            dependencies: [
                "CMarkGFM",
                "PlanScribeTemplates",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            path: "Sources/PlanScribe",
            exclude: ["Resources/demo-run/SOURCES.md"],
            resources: [.copy("Resources/demo-run")]
        ),
        .executableTarget(
            name: "planscribe",
            dependencies: [
                "PlanScribe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/planscribe"
        ),
        .executableTarget(
            name: "planscribe-bench",
            dependencies: [
                "PlanScribe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/planscribe-bench"
        ),
        .testTarget(
            name: "PlanScribeTests",
            dependencies: [
                "PlanScribe",
                "CMarkGFM",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "FlyingFox", package: "FlyingFox"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Tests/PlanScribeTests",
            exclude: ["Golden"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
