"""The floor lrcli's start-up is measured against: a one-command Typer app that prints a number."""

import typer

app = typer.Typer()


@app.command()
def show(value: float = 0.1) -> None:
    print(value)


if __name__ == "__main__":
    app()
