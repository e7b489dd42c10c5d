"""The WSGI entry point settles the process: what every request reads is built, and every object
alive at start-up is frozen out of the garbage collector's full collections (liaison.wsgi.settle)."""

import gc


def test_the_objects_alive_at_start_up_are_frozen_out_of_full_collections():
    from liaison import wsgi

    try:
        tracked = wsgi.settle()
        frozen = gc.get_freeze_count()
        # a full collection now walks what was made since, not the modules, models and catalogues
        assert frozen > 50_000
        assert tracked < frozen / 5
        assert callable(wsgi.application)
    finally:
        gc.unfreeze()  # this test process goes on as before
