"""Cross-tenant matrix rows of indicators/ (指标通报): the city-wide figures (an agency's own
row is tested in tests/indicators/test_api.py). See policy.py."""

from .policy import COURT, GOV, OFFICE, PROC
from .rows import API, Row

VISIBLE = {}

ALLOWED = {
    # Indicator figures city-wide: the office, the city government and its legal-affairs staff,
    # the intermediate court (which sends them) and the procuratorate (copied); not agencies,
    # not county institutions (their county only), not administrators.
    "indicators.city": {"*": OFFICE | GOV | {"justice_legal"} | COURT | PROC},
}

WEB_ROUTES: dict[str, Row] = {}

API_ROUTES: dict[tuple[str, str], Row] = {
    ("GET", API + "indicators/"): Row(data={"quarter": "2026Q4", "level": "city"}, get_verb="indicators.city"),
    ("GET", API + "indicators/export/"): Row(data={"quarter": "2026Q4", "level": "city"}, get_verb="indicators.city"),
    ("GET", API + "indicators/drilldown/"): Row(
        data={"quarter": "2026Q4", "level": "city", "indicator": "loss_rate", "part": "denominator"},
        get_verb="indicators.city",
    ),
}
