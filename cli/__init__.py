"""The command line: `python server.py COMMAND` (cli/commands.py)."""
