from __future__ import annotations

import gc

from ceasefire.app import COLLECTOR_THRESHOLDS, settle_collector


def test_a_server_process_keeps_the_collector_off_what_it_loaded_and_collects_less_often() -> None:
    before = gc.get_threshold()
    try:
        gc.unfreeze()
        settle_collector()
        assert gc.get_freeze_count() > 0  # what is loaded is never scanned again
        assert gc.get_threshold() == COLLECTOR_THRESHOLDS
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
