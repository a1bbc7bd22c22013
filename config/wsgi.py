import os

from django.core.wsgi import get_wsgi_application

import config  # noqa: F401  (puts src/ on the path)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()
