"""The registry: the descriptions against the engine functions they describe."""
