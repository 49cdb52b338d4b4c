"""The renderers: every format, and the code --emit writes, from given rows."""
