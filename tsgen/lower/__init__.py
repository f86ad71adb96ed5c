"""Lowering: the TypeScript model, normalised in small passes, to the Python output model."""
