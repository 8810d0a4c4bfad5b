# The true figures, small numbers included, are a supervisor's, for a named purpose
# (statistics.masking; test_masking.py shows what the statistician sees).
UNMASKED = {"unmask": "true", "purpose": "Checking the tables against the registry"}


def test_the_statistics_api_gives_every_table(client, personas, caseload):
    client.force_login(personas.supervisor)
    decisions = client.get(
        "/api/statistics/decisions", {"by": ["instance", "year"], **UNMASKED}
    ).json()
    appeal = next(r for r in decisions["rows"] if r["instance"] == "appeal")
    assert (appeal["recognized"], appeal["rejected"], appeal["recognition_rate"]) == (1, 1, 50.0)
    stock = client.get("/api/statistics/stock", {"on": "2024-06-30", **UNMASKED}).json()
    assert {r["origin"]: r["pending"] for r in stock["rows"]} == {"SYR": 5, "AFG": 2}
    times = client.get("/api/statistics/processing-times", UNMASKED).json()
    assert {(r["instance"], r["year"]): r["median_days"] for r in times["rows"]}[
        ("first", 2024)
    ] == 213
    report = client.get("/api/statistics/report", UNMASKED).json()
    assert set(report) >= {"decisions_by_origin_and_year", "stock_by_origin", "processing_times"}
    legacy = client.get("/api/statistics", UNMASKED).json()
    assert {(r["country_of_origin"], r["year"]) for r in legacy} >= {("SYR", 2024)}
    response = client.get("/api/statistics/exports/decisions.csv", UNMASKED)
    assert response.status_code == 200 and response.content.startswith(b"year,coo_name")


def test_unknown_dimensions_answer_400(client, personas):
    client.force_login(personas.statistician)
    response = client.get("/api/statistics/decisions", {"by": ["names"]})
    assert response.status_code == 400


def test_the_statistics_api_is_404_without_the_role(client, personas):
    client.force_login(personas.clerk)
    for path in (
        "/api/statistics",
        "/api/statistics/decisions",
        "/api/statistics/report",
        "/api/statistics/consistency",
    ):
        assert client.get(path).status_code == 404
    client.force_login(personas.statistician)
    assert client.get("/api/statistics/consistency").status_code == 404
    client.force_login(personas.supervisor)
    assert client.get("/api/statistics/consistency").status_code == 200
