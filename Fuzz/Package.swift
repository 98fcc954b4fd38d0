// swift-tools-version: 6.0
// libFuzzer targets over the package's libraries (see Fuzz/README.md). Built by scripts/fuzz with
// `-sanitize=fuzzer,address` for every module, so the libraries are instrumented too.
import PackageDescription

let targetNames = [
  "framer", "jsonrpc", "json-reader", "yaml-reader", "text-document", "schema-loading", "validation",
  "preserving-update",
]

let package = Package(
  name: "slicels-fuzz",
  dependencies: [.package(name: "slicels", path: "..")],
  targets: [
    .target(name: "CLibFuzzer"),
    .target(
      name: "FuzzSupport",
      dependencies: [
        "CLibFuzzer",
        .product(name: "SliceEngine", package: "slicels"),
        .product(name: "LanguageServerProtocol", package: "slicels"),
      ]
    )
  ]
    + targetNames.map { name in
      .executableTarget(name: name, dependencies: ["FuzzSupport"], path: "Targets/\(name)")
    },
  swiftLanguageModes: [.v6]
)
