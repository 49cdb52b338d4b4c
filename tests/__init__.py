"""lrcli's tests, laid out like the code: engine/ (each framework's arithmetic), readers/ (configs,
logs, expressions lrcli reads), registry/ (the descriptions), render/ (formats and code),
cli/ (the program as a user meets it), golden/ (every recorded case of the real libraries),
project/ (README, packaging, completions). Their data is in data/; scripts/golden/ writes it."""
