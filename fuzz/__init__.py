"""Fuzzers for tsgen: a grammar of declaration files (hypothesis) and byte mutations of real ones."""
