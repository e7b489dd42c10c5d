"""Settings for the worker of the kill test: the test settings, with the broker's redelivery of
unacknowledged messages sped up from minutes to seconds (tasks here take well under a second)."""

from liaison.test_settings import *  # noqa: F403

CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 10,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
