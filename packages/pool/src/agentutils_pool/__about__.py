"""Version of agentutils-pool."""

__version__ = "0.1.0"
