// Placeholder until the semantics land.
