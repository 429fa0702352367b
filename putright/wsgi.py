import os

from django.core.wsgi import get_wsgi_application

from putright.environment import require_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "putright.settings")
application = get_wsgi_application()
# gunicorn (and any other WSGI server) refuses to serve without SECRET_KEY: putright/settings.py says why.
require_secret_key()
