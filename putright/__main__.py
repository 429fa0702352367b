"""The `putright` command for operators: every management command, with Putright's settings.

A setting Putright cannot use is one line on stderr naming the variable, and exit status 2 as for
a bad argument: the operator needs the variable's name and what would do, not Python's stack.
"""

import os
import sys

CONFIGURATION_ERROR = 2
# The commands that serve the web, the one thing that signs with SECRET_KEY (putright/settings.py):
# they refuse to start without it, before they bind a port or collect static files.
SERVING_COMMANDS = frozenset({"serve", "runserver"})


def _serves(argv: list[str]) -> bool:
    asks_for_help = bool({"-h", "--help"} & set(argv[2:]))
    return len(argv) > 1 and argv[1] in SERVING_COMMANDS and not asks_for_help


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "putright.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    from putright.environment import SettingError, require_secret_key

    try:
        # Read the settings here, where a refusal can be reported: Django's own command line would
        # take a settings module that fails to import for one that lists no commands.
        settings.INSTALLED_APPS  # noqa: B018 - reading it loads the settings
        if _serves(sys.argv):
            require_secret_key()
        execute_from_command_line(sys.argv)
    except SettingError as error:
        sys.stderr.write(f"Configuration error: {' '.join(str(error).split())}\n")
        sys.exit(CONFIGURATION_ERROR)


if __name__ == "__main__":
    main()
