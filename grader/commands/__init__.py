"""One module per `nnlings` command; each exposes run(args, ctx) -> exit code."""
