"""Version of agentutils-filters."""

__version__ = "0.1.0"
