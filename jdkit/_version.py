"""jdkit's version, in a module of its own: ``jdkit`` imports its public names lazily from the
modules that use this (``jdkit.batch`` stamps it on each practice's output), so they take it
from here rather than from ``jdkit`` itself, which would make an import cycle."""

__version__ = "0.1.0"
