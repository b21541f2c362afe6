"""Test settings: the same application, with a fast password hasher and a throwaway var/."""

import os
import tempfile

os.environ.setdefault("RRP_DEBUG", "true")
os.environ.setdefault("RRP_SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("RRP_VAR_DIR", tempfile.mkdtemp(prefix="rrp-test-var-"))

from rrp.config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; never in use
AXES_ENABLED = True
WHITENOISE_AUTOREFRESH = True
# Charts in memory, so each test starts with none drawn; no background drawing (the tests
# call rrp.analytics.drawing_ahead directly).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "charts": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "charts"},
}
RRP_DRAW_AHEAD = False
