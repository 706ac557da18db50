"""Version of agentutils-rtc-helpers."""

__version__ = "0.1.0"
