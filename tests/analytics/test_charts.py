"""Charts are drawn on the server as SVG that the strict Content Security Policy allows, with a
name for screen readers, and their CSV holds exactly the rows drawn."""

from __future__ import annotations

from rrp.analytics import charts
from rrp.analytics.breakdowns import Row, Table

TABLE = Table(
    "types", "Restrictive interventions by type", [("interventions", "Interventions")],
    [Row("01", "Prone", {"interventions": 3.0}, {"interventions": "3"}),
     Row("07", "Standing", {"interventions": None}, {"interventions": "*"})],
    "Type", total=Row("total", "Total", {"interventions": 5.0}, {"interventions": "5"}),
)


def test_style_attributes_become_presentation_attributes() -> None:
    svg = '<svg><text style="fill: #000; font-weight: bold" x="1">A</text></svg>'
    assert charts.make_csp_safe(svg) == (
        '<svg><text fill="#000" font-weight="bold" x="1">A</text></svg>'
    )


def test_a_rendered_chart_has_no_style_attribute_and_is_named() -> None:
    chart = charts.bar_chart(TABLE, "interventions", "Interventions", highlight=["01"],
                             description="Prone highlighted.")
    svg = chart.svg
    assert "style=" not in svg
    assert svg.startswith('<svg role="img" aria-label="Restrictive interventions by type. '
                          'Prone highlighted. Figures shown as * are hidden: too few to show."')
    assert "<script" not in svg


def test_the_csv_is_the_table_as_shown() -> None:
    assert charts.table_csv(TABLE).splitlines() == [
        "Type,Interventions", "Prone,3", "Standing,*", "Total,5",
    ]


def test_the_chart_draws_the_table_rows_and_leaves_hidden_cells_out() -> None:
    chart = charts.bar_chart(TABLE, "interventions", "Interventions", description="")
    assert [(d["label"], d["interventions"]) for d in chart.spec["data"]["values"]] == [
        ("Prone", 3.0), ("Standing", None),
    ]


def test_the_same_chart_is_drawn_once(drawn: list[object]) -> None:
    from django.core.cache import caches

    caches["charts"].clear()
    first = charts.bar_chart(TABLE, "interventions", "Interventions", description="").svg
    again = charts.bar_chart(TABLE, "interventions", "Interventions", description="").svg
    assert again == first
    assert len(drawn) == 1
    changed = Table(TABLE.id, TABLE.title, TABLE.columns, TABLE.rows[:1], TABLE.label_heading)
    charts.bar_chart(changed, "interventions", "Interventions", description="").svg  # noqa: B018
    assert len(drawn) == 2
