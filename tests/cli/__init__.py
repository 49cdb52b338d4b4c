"""The program as a user and a shell meet it: options, errors, files, pipes, hostile input."""
