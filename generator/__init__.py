"""brief: turns YAML fact sheets on EV investment initiatives into sourced briefings.

Importing this package does no work: every stage is imported where it is used, so
that ``brief --help`` and ``brief check`` never pay for the PDF renderer.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
