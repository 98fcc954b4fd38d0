// The LanguageServerProtocol layer: see README.md (design).
