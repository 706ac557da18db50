"""Version of agentutils-images."""

__version__ = "0.1.0"
