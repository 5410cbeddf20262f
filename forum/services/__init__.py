"""The one write path: every change of state is a function in this package.

Services take keyword-only, typed arguments, check the permission policy,
validate, write inside a transaction and publish events on commit.
"""
