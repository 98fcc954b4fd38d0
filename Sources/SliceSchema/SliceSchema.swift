// The SliceSchema layer: see README.md (design).
