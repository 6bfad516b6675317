"""Renderings of the one report model."""
