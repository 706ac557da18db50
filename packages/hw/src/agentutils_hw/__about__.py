"""Version of agentutils-hw."""

__version__ = "0.1.0"
