"""Hook implementations of agentutils-audio."""
