"""Notifications: fan-out (who hears of what), email delivery and digests.

`dispatch` is what services call inside their transaction; it defers the
fan-out to a task (`tasks`) enqueued on commit, so the author's request only
writes one task row whatever the audience. `fanout` writes the grouped rows,
publishes the live unread counts and queues emails; `email` sends them from
the worker. Nothing here imports `forum.services`: the services import this.
"""
