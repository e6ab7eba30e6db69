"""The carecost HTTP service (FastAPI, served by uvicorn: ``carecost serve``).

See :mod:`carecost.service.app` for the endpoints and the security rules, and
:class:`ServiceSettings` for what an operator configures (registered data sets
and scenarios, API key, CORS origins, limits) and :class:`ServerLimits` for the
connection limits of ``carecost serve``.  Needs the ``service`` extra
(fastapi, uvicorn).
"""

from .app import UVICORN_OPTIONS, create_app
from .cache import ResultCache
from .settings import RegisteredScenario, ServerLimits, ServiceSettings

__all__ = [
    "UVICORN_OPTIONS",
    "RegisteredScenario",
    "ResultCache",
    "ServerLimits",
    "ServiceSettings",
    "create_app",
]
