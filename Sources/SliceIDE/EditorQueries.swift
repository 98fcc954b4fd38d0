/// The editor queries of the engine: completion, hover, definition, code lens, inlay hints,
/// code action data. Pure functions of the text, its tree and the project analysis; every
/// position is a UTF-8 byte offset. Each query extends this namespace in the file of its
/// answer (`CompletionCandidates.swift`, `HoverInfo.swift`, …).
public enum EditorQueries {}
