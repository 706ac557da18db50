"""Version of agentutils-audio."""

__version__ = "0.1.0"
