"""``python -m kit`` works as the ``kit`` command."""
from .cli import main

main()
