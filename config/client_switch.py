"""A setting that is true only while allauth serves a headless "app" request.

allauth has one global switch per verification style
(ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED, ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED)
and reads it each time it decides, through `allauth.core.context.request`, the
request its middleware is serving. The app wants codes (typed on a phone, no
link to open in the right browser); the web keeps links, which its pages and
its browser tests rely on. So the value is an object whose truth is asked at
use: true inside a headless app view, false for the web, for URL building at
import and for the system checks (no request then). docs/known-traps.md.
"""


class AppClientOnly:
    def __bool__(self) -> bool:
        # Imported here: settings load before apps, and allauth's modules import Django's.
        from allauth.core import context

        request = context.request
        headless = getattr(getattr(request, "allauth", None), "headless", None)
        return getattr(headless, "client", None) == "app"

    def __repr__(self) -> str:
        return "AppClientOnly()"


app_client_only = AppClientOnly()
