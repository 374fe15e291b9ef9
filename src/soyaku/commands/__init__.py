"""Click commands kept outside cli.py; cli.py registers them with `cli.add_command(...)`."""
