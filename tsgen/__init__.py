"""tsgen: typed Python bindings from TypeScript declaration files."""

__version__ = "0.1.0"
