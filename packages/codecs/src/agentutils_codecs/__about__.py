"""Version of agentutils-codecs."""

__version__ = "0.1.0"
