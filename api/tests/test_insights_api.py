"""GET /api/v1/insights/ and /api/v1/insights/organizations/<slug>/: the page's
scoping and numbers (tests/insights_data.py's hand-computed figures)."""

import pytest

from api.tests.conftest import token_client
from tests.insights_data import PERIOD, build

CUSTOM = {"period": "custom", "from": PERIOD.first_day.isoformat(), "to": PERIOD.last_day.isoformat()}


@pytest.fixture
def world(moderator):
    return build(moderator)


def test_students_get_403_and_anonymous_401(world, anonymous):
    assert anonymous.get("/api/v1/insights/").status_code == 401
    student = token_client(world.alice)
    response = student.get("/api/v1/insights/", {"period": "nonsense"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert student.get("/api/v1/insights/organizations/banque-a/").status_code == 403


def test_the_api_gives_the_hand_computed_figures(world):
    data = token_client(world.hr_a).get("/api/v1/insights/", CUSTOM).json()
    assert data["period"] == {"days": 7, "bucket": "day", "from": "2026-03-23", "to": "2026-03-29"}
    questions = data["questions"]
    assert (questions["asked"], questions["answered"], questions["solved"]) == (4, 3, 1)
    assert [b["asked"] for b in questions["buckets"]] == [2, 0, 1, 0, 0, 0, 1]
    times = data["response_times"]
    assert times["first_answer"] == {"count": 3, "median_seconds": 7200.0, "p90_seconds": 30240.0}
    assert times["first_verified_answer"] == {"count": 2, "median_seconds": 25200.0, "p90_seconds": 33840.0}
    assert times["verified_share"] == pytest.approx(2 / 3)
    assert [(t["slug"], t["growth"]) for t in data["tags"]["rising"]] == [("teletravail", None), ("bts", 1.0)]
    assert [f["facet"] for f in data["facets"]] == ["diploma", "region"]
    assert [(p["thread"]["id"], p["count"]) for p in data["most_viewed"]] == [(world.q1.pk, 10), (world.q2.pk, 5)]
    assert [(p["thread"]["id"], p["count"]) for p in data["most_followed"]] == [(world.q3.pk, 2)]
    assert [t["id"] for t in data["unanswered"]["threads"]] == [world.q6.pk, world.q3.pk]
    assert data["organizations"] == [{"name": "Banque A", "slug": "banque-a"}]
    org = data["organization"]
    assert org["organization"]["slug"] == "banque-a"
    assert (org["addressed"], org["responded"], org["response_rate"], org["accepted_answers"]) == (2, 1, 0.5, 1)
    assert org["response"]["median_seconds"] == 14400.0


def test_hr_of_a_never_gets_the_figures_of_b(world):
    client = token_client(world.hr_a)
    assert client.get("/api/v1/insights/", {**CUSTOM, "organization": "banque-b"}).status_code == 403
    assert client.get("/api/v1/insights/organizations/banque-b/", CUSTOM).status_code == 403
    # An unknown slug answers the same: no probing which organisations exist.
    assert client.get("/api/v1/insights/organizations/nowhere/", CUSTOM).status_code == 403
    own = client.get("/api/v1/insights/organizations/banque-a/", CUSTOM)
    assert own.status_code == 200
    assert own.json()["figures"]["addressed"] == 2


def test_moderators_read_every_organisation(world, moderator):
    client = token_client(moderator)
    data = client.get("/api/v1/insights/", CUSTOM).json()
    assert data["organization"] is None
    assert {o["slug"] for o in data["organizations"]} >= {"banque-a", "banque-b"}
    figures = client.get("/api/v1/insights/organizations/banque-b/", CUSTOM).json()["figures"]
    assert (figures["addressed"], figures["responded"], figures["response_rate"]) == (1, 0, 0.0)
    assert figures["response"]["median_seconds"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "12"}, "period"),
        ({"period": "custom", "from": "2026-03-01"}, "to"),
        ({"period": "custom", "from": "2026-03-29", "to": "2026-03-01"}, "to"),
        ({"period": "custom", "from": "2020-01-01", "to": "2026-03-01"}, "from"),
    ],
)
def test_a_bad_period_is_a_400_with_the_field(world, params, field):
    response = token_client(world.hr_a).get("/api/v1/insights/", params)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
