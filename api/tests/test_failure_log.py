"""A burst of presence failures (thousands of sockets closing at once) is one
warning with its traceback per window, the rest counted into the next."""

import logging
import time

from api.fanout import FailureLog


def fail_many(log: FailureLog, times: int) -> None:
    for _ in range(times):
        try:
            raise ConnectionError("Too many connections")
        except ConnectionError:
            log.note()


def test_a_burst_is_one_warning_then_a_count(caplog):
    log = FailureLog("Presence unavailable")
    log.WINDOW = 0.2
    with caplog.at_level(logging.WARNING, logger="api.fanout"):
        fail_many(log, 2500)
        assert [record.getMessage() for record in caplog.records] == ["Presence unavailable"]
        assert caplog.records[0].exc_info[0] is ConnectionError

        time.sleep(0.25)
        fail_many(log, 1)

    assert [record.getMessage() for record in caplog.records] == [
        "Presence unavailable",
        "Presence unavailable (2499 more since the last one logged)",
    ]
    assert caplog.records[1].exc_info[0] is ConnectionError
