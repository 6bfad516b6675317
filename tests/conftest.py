"""The nnlings pytest plugin is registered by the package's pytest11 entry point (see pyproject.toml)."""
