"""Figures that a test measured (the fault tests' requests, 5xx, answers
acknowledged vs stored), printed at the end of every run, CI's included: a
test's own print() is captured and only shown when it fails, and under
pytest-xdist it stays in the worker. Reports carry `user_properties` back
to the controller, so the summary sees them from every worker."""

import pytest

KEY = "figures"


@pytest.fixture
def report_figures(request):
    """report_figures(line): print it now and in the run's summary."""

    def add(line: str) -> None:
        print(line)
        request.node.user_properties.append((KEY, line))

    return add


def pytest_terminal_summary(terminalreporter):
    lines = [
        value
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "call"
        for key, value in getattr(report, "user_properties", ())
        if key == KEY
    ]
    if lines:
        terminalreporter.section("measured figures")
        for line in lines:
            terminalreporter.write_line(line)
