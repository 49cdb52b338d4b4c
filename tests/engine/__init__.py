"""The engine: each framework's arithmetic, step by step, against the rule and its library's values."""
