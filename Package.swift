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
            name: "PlanScribe",
            dependencies: ["CMarkGFM"],
            path: "Sources/PlanScribe"
        ),
        .executableTarget(
            name: "planscribe",
            dependencies: [
                "PlanScribe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/planscribe"
        ),
        .testTarget(
            name: "PlanScribeTests",
            dependencies: ["PlanScribe"],
            path: "Tests/PlanScribeTests",
            exclude: ["Golden"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
