"""The project around the code: the README's examples, packaging bounds, shell completions."""
