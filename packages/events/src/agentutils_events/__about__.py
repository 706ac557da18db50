"""Version of agentutils-events."""

__version__ = "0.1.0"
