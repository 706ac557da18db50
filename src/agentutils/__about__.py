"""Version of the agentutils meta-package."""

__version__ = "0.1.0"
