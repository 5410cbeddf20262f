#!/usr/bin/env python
import os
import sys
from pathlib import Path

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    # The embedded SQLite database and the file outbox live in VAR_DIR: the
    # commands (migrate, seed_demo...) create it, the settings never write.
    Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
    execute_from_command_line(sys.argv)
