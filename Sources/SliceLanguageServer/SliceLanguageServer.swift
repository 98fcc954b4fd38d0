// The SliceLanguageServer layer: see README.md (design).
