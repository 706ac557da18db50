"""Version of agentutils-core."""

__version__ = "0.1.0"
