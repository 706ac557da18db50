"""Version of agentutils-http."""

__version__ = "0.1.0"
