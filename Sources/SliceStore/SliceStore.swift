// The SliceStore layer: see README.md (design).
