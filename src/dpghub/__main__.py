"""`python -m dpghub ...` is the `dpghub` command."""

from dpghub.cli.main import main

main()
