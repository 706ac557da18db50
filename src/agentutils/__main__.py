"""``python -m agentutils`` runs the command line."""

from agentutils.cli import main

raise SystemExit(main())
