"""Hook implementations of agentutils-pool."""
