import os

from django.core.wsgi import get_wsgi_application

from putright.environment import require_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "putright.settings")
application = get_wsgi_application()
# gunicorn (and any other WSGI server) refuses to serve without SECRET_KEY: putright/settings.py says why.
require_secret_key()

from putright.core import warm  # noqa: E402 - after Django is set up

if warm.wanted():  # set by `putright serve`: never in tests or commands that do not serve (putright/core/warm.py)
    warm.warm_up()
