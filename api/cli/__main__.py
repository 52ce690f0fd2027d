"""``python -m api.cli``: the ``briefs`` command."""

from api.cli import main

main()
