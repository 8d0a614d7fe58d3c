import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Each web worker loads WeasyPrint, its fonts and the URLconf in the background as it starts,
# so that the first PDF it serves does not pay 1-3 s for them (SIKUMI_PDF_WARM_UP=false: off).
from sikumi.core.pdf import warm_up_in_background  # noqa: E402

warm_up_in_background()
