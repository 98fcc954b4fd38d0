// swift-tools-version: 6.0
// The package's layers, bottom to top. Each target imports only the ones below it:
//   CLibYAML → SliceSyntax → SliceSchema → SliceStore → SliceLanguageServer → slicels
//   LanguageServerProtocol (JSON-RPC and LSP types) stands apart from the engine.
import PackageDescription

let package = Package(
  name: "slicels",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "slicels", targets: ["slicels"]),
    .library(name: "SliceEngine", targets: ["SliceSyntax", "SliceSchema", "SliceStore"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/attaswift/BigInt", from: "6.0.0"),
  ],
  targets: [
    .systemLibrary(
      name: "CLibYAML",
      pkgConfig: "yaml-0.1",
      providers: [.apt(["libyaml-dev"])]
    ),
    .target(
      name: "SliceSyntax",
      dependencies: ["CLibYAML", .product(name: "BigInt", package: "BigInt")]
    ),
    .target(name: "SliceSchema", dependencies: ["SliceSyntax"]),
    .target(name: "SliceStore", dependencies: ["SliceSyntax", "SliceSchema"]),
    .target(name: "LanguageServerProtocol"),
    .target(
      name: "SliceLanguageServer",
      dependencies: ["LanguageServerProtocol", "SliceSyntax", "SliceSchema", "SliceStore"]
    ),
    .executableTarget(
      name: "slicels",
      dependencies: [
        "SliceSyntax", "SliceSchema", "SliceStore", "SliceLanguageServer",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(
      name: "slicels-bench",
      dependencies: ["CLibYAML", "SliceSyntax", "SliceSchema", "SliceStore"],
      path: "bench/Sources/slicels-bench"
    ),
    .testTarget(name: "SliceSyntaxTests", dependencies: ["SliceSyntax"]),
    .testTarget(name: "SliceSchemaTests", dependencies: ["SliceSchema", "SliceSyntax"]),
    .testTarget(
      name: "SliceStoreTests", dependencies: ["SliceStore", "SliceSchema", "SliceSyntax"],
      exclude: ["Fixtures"]
    ),
    .testTarget(name: "LanguageServerProtocolTests", dependencies: ["LanguageServerProtocol"]),
    .testTarget(
      name: "SliceLanguageServerTests",
      dependencies: ["SliceLanguageServer", "LanguageServerProtocol"]
    ),
    .testTarget(name: "EndToEndTests", dependencies: ["LanguageServerProtocol"]),
  ],
  swiftLanguageModes: [.v6]
)
