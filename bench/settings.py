"""Benchmark settings: the production settings (DEBUG=0 from the environment) plus two ceiling routes.

The ceilings are a bare JsonResponse and a bare DRF list of 50 suggestions behind the same
middleware, authentication and database; they live only in `bench.urls`, never in the portal.
"""

from liaison.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
