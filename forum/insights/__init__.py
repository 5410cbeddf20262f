"""HR insights ("veille"): what candidates ask, worry about, and how fast they
get answers, computed from the forum's own data.

One pure function per figure, each taking a `Period` (forum.insights.period)
and returning plain dataclasses: the dashboard page, its CSV exports and
`/api/v1/insights/` read the same numbers. Only published content is counted,
and only aggregates or public questions come out: nothing follows a member.
Who may read which figure is forum.permissions' decision
(`can_view_insights`, `insight_organisations`)."""
