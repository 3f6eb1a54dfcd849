"""The smoke test: ``target/`` runs inside the target interpreter (standard library and torch only,
nothing else of RigPilot); ``client`` starts it there and reads its JSON lines; ``codes`` holds the
translated meaning of its result codes."""
