"""The consistency monitor: do decision-makers decide alike claims alike?

For each decision-maker, the grant rate (recognized + complementary over substantive
decisions) is set against what colleagues grant on the same mix of claims, with a model and
its uncertainty, so that a supervisor sees differences beyond chance and not the noise of
small numbers.

The model (docs/statistics.md gives the reasons):

- A mixed logistic regression: logit P(grant) = intercept + nationality + period + b_maker,
  with b_maker ~ Normal(0, τ²). Nationality and period are the case mix; b_maker is how much
  more or less readily this decision-maker grants than a typical colleague on the same claims.
- Fitted by penalised iteratively reweighted least squares (the ridge on b is 1/τ²), with τ²
  estimated from the data by empirical Bayes (EM updates of the Laplace approximation:
  τ² = mean(b̂² + var b̂)). Estimates for decision-makers with few decisions are pulled
  toward colleagues in proportion to how little their own decisions say.
- The test: the model is fitted again without the decision-maker's own decisions (τ² kept),
  so that the benchmark is the colleagues alone, and the typical colleague is the median of
  their effects (one very lenient or very strict colleague does not move it); under "decides
  like a typical colleague" the
  number of grants is a sum of independent Bernoulli draws with the colleagues' case-mix
  probabilities, whose exact (Poisson-binomial) distribution gives a two-sided p-value,
  adjusted for testing every decision-maker at once (Benjamini–Hochberg). Differences with an
  adjusted p below ALPHA are "beyond chance".
- Below MIN_DECISIONS substantive decisions a rate is shown with its interval and the words
  "too few decisions to judge", never as a verdict.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from nansen.statistics.inference import Z95, Interval, benjamini_hochberg, wilson

ALPHA = 0.05
MIN_DECISIONS = 20
TAU2_MAX = 25.0
HIGHER, LOWER, WITHIN, TOO_FEW = "higher", "lower", "within", "too_few"


@dataclass(frozen=True)
class Cell:
    """Substantive decisions of one decision-maker on one nationality in one period."""

    maker: str
    group: str
    period: str
    decisions: int
    granted: int


@dataclass
class MakerResult:
    maker: str
    decisions: int
    granted: int
    expected: float  # grants the colleagues would make on the same claims
    effect: float  # b, log-odds, shrunk toward colleagues (empirical Bayes)
    effect_sd: float
    adjusted_rate: float  # grant rate on the whole caseload with this b
    adjusted_interval: Interval
    p_value: float
    q_value: float = 1.0
    verdict: str = WITHIN
    label: str = ""

    @property
    def rate(self) -> float:
        return self.granted / self.decisions

    @property
    def interval(self) -> Interval:
        return wilson(self.granted, self.decisions)

    @property
    def expected_rate(self) -> float:
        return self.expected / self.decisions

    @property
    def odds_ratio(self) -> float:
        return math.exp(self.effect)

    def as_dict(self) -> dict:
        return {
            "maker": self.maker,
            "label": self.label,
            "decisions": self.decisions,
            "granted": self.granted,
            "rate": self.rate,
            "rate_interval": self.interval.as_list(),
            "expected_rate": self.expected_rate,
            "adjusted_rate": self.adjusted_rate,
            "adjusted_interval": self.adjusted_interval.as_list(),
            "odds_ratio": self.odds_ratio,
            "p_value": self.p_value,
            "q_value": self.q_value,
            "verdict": self.verdict,
        }


@dataclass
class MonitorResult:
    makers: list[MakerResult] = field(default_factory=list)
    decisions: int = 0
    granted: int = 0
    typical_rate: float | None = None  # a typical decision-maker (b = 0) on the whole caseload
    tau: float = 0.0  # between-decision-maker standard deviation, log-odds
    groups: int = 0
    periods: int = 0
    alpha: float = ALPHA
    min_decisions: int = MIN_DECISIONS

    @property
    def rate(self) -> float | None:
        return self.granted / self.decisions if self.decisions else None

    @property
    def flagged(self) -> list[MakerResult]:
        return [m for m in self.makers if m.verdict in (HIGHER, LOWER)]

    def as_dict(self) -> dict:
        return {
            "decisions": self.decisions,
            "granted": self.granted,
            "rate": self.rate,
            "typical_rate": self.typical_rate,
            "tau": self.tau,
            "groups": self.groups,
            "periods": self.periods,
            "alpha": self.alpha,
            "min_decisions": self.min_decisions,
            "makers": [m.as_dict() for m in self.makers],
        }


def _expit(x):
    return 1.0 / (1.0 + np.exp(-x))


def _aggregate(cells: Iterable[Cell]) -> dict[tuple[str, str, str], list[int]]:
    merged: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for cell in cells:
        if cell.decisions:
            entry = merged[(cell.maker, str(cell.group), str(cell.period))]
            entry[0] += cell.decisions
            entry[1] += cell.granted
    return merged


def _design(keys, groups, periods):
    """Columns: intercept, nationality (first as reference), period (first as reference)."""
    g_index = {g: i for i, g in enumerate(groups)}
    p_index = {p: i for i, p in enumerate(periods)}
    width = 1 + (len(groups) - 1) + (len(periods) - 1)
    x = np.zeros((len(keys), width))
    x[:, 0] = 1.0
    for row, (_maker, group, period) in enumerate(keys):
        if g_index[group] > 0:
            x[row, g_index[group]] = 1.0
        if p_index[period] > 0:
            x[row, len(groups) - 1 + p_index[period]] = 1.0
    return x


def _fit(x, z, n, y, tau2, start=None, fixed_ridge=1e-4, iterations=100):
    """Penalised IRLS for logit(p) = xβ + zb with penalty |b|²/(2τ²) (and a tiny ridge on β
    against separation). Returns θ = (β, b) and the inverse of the penalised information."""
    design = np.hstack([x, z])
    k = x.shape[1]
    penalty = np.concatenate([np.full(k, fixed_ridge), np.full(z.shape[1], 1.0 / tau2)])
    penalty[0] = 1e-8
    theta = np.zeros(design.shape[1]) if start is None else start.copy()
    for _ in range(iterations):
        mu = _expit(design @ theta)
        weights = n * mu * (1 - mu)
        score = design.T @ (y - n * mu) - penalty * theta
        information = design.T @ (design * weights[:, None]) + np.diag(penalty)
        try:
            step = np.linalg.solve(information, score)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(information, score, rcond=None)[0]
        theta = theta + step
        if np.max(np.abs(step)) < 1e-8:
            break
    mu = _expit(design @ theta)
    weights = n * mu * (1 - mu)
    information = design.T @ (design * weights[:, None]) + np.diag(penalty)
    return theta, np.linalg.pinv(information)


def _log_binomial_pmf(n: int, p: float) -> np.ndarray:
    k = np.arange(n + 1)
    log_choose = np.array(
        [math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1) for i in k]
    )
    if p <= 0.0:
        out = np.full(n + 1, -np.inf)
        out[0] = 0.0
        return out
    if p >= 1.0:
        out = np.full(n + 1, -np.inf)
        out[n] = 0.0
        return out
    return log_choose + k * math.log(p) + (n - k) * math.log1p(-p)


def poisson_binomial_p_value(trials: list[tuple[int, float]], observed: int) -> float:
    """Two-sided p-value (twice the smaller tail) of ``observed`` successes when each group
    of ``n`` trials succeeds with probability ``p``, exactly."""
    pmf = np.array([1.0])
    for n, p in trials:
        pmf = np.convolve(pmf, np.exp(_log_binomial_pmf(n, p)))
    pmf = pmf / pmf.sum()
    lower = pmf[: observed + 1].sum()
    upper = pmf[observed:].sum()
    return float(min(1.0, 2 * min(lower, upper)))


def consistency_monitor(
    cells: Iterable[Cell],
    *,
    alpha: float = ALPHA,
    min_decisions: int = MIN_DECISIONS,
    labels: dict[str, str] | None = None,
) -> MonitorResult:
    merged = _aggregate(cells)
    if not merged:
        return MonitorResult(alpha=alpha, min_decisions=min_decisions)
    keys = sorted(merged)
    makers = sorted({k[0] for k in keys})
    groups = sorted({k[1] for k in keys})
    periods = sorted({k[2] for k in keys})
    n = np.array([merged[k][0] for k in keys], dtype=float)
    y = np.array([merged[k][1] for k in keys], dtype=float)
    x = _design(keys, groups, periods)
    m_index = {m: i for i, m in enumerate(makers)}
    z = np.zeros((len(keys), len(makers)))
    for row, key in enumerate(keys):
        z[row, m_index[key[0]]] = 1.0

    # Empirical Bayes: alternate the penalised fit and the EM update of τ².
    tau2, theta, covariance = 0.25, None, None
    k = x.shape[1]
    for _ in range(200):
        theta, covariance = _fit(x, z, n, y, tau2, start=theta)
        b = theta[k:]
        variances = np.diag(covariance)[k:]
        # Bounded: a between-decision-maker SD of 5 on the log-odds scale already means
        # decision-makers who grant all or nothing; beyond it the data separate perfectly.
        updated = min(max(float(np.mean(b**2 + variances)), 1e-6), TAU2_MAX)
        converged = abs(updated - tau2) < 1e-5 * max(tau2, 1e-3)
        tau2 = updated
        if converged:
            break
    theta, covariance = _fit(x, z, n, y, tau2, start=theta)
    beta, b = theta[:k], theta[k:]
    sd = np.sqrt(np.diag(covariance)[k:])
    case_mix = x @ beta  # log-odds of a typical decision-maker on each cell's claims
    typical = _expit(case_mix)

    # The whole caseload's claims, to state every adjusted rate on the same mix.
    stratum_n: dict[tuple[str, str], float] = defaultdict(float)
    stratum_eta: dict[tuple[str, str], float] = {}
    for row, (_maker, group, period) in enumerate(keys):
        stratum_n[(group, period)] += n[row]
        stratum_eta[(group, period)] = case_mix[row]
    weights = np.array(list(stratum_n.values()))
    etas = np.array([stratum_eta[s] for s in stratum_n])
    total = weights.sum()

    def on_caseload(effect: float) -> float:
        return float((weights * _expit(etas + effect)).sum() / total)

    per_maker: dict[str, list[int]] = defaultdict(list)
    for row, key in enumerate(keys):
        per_maker[key[0]].append(row)
    results = []
    for maker in makers:
        rows = per_maker[maker]
        decisions = int(n[rows].sum())
        granted = int(y[rows].sum())
        j = m_index[maker]
        effect, effect_sd = float(b[j]), float(sd[j])
        colleagues = np.ones(len(keys), dtype=bool)
        colleagues[rows] = False
        if colleagues.any():
            loo, _ = _fit(
                x[colleagues], z[colleagues], n[colleagues], y[colleagues], tau2, start=theta
            )
            others = [i for m, i in m_index.items() if m != maker]
            typical_colleague = float(np.median(loo[k:][others]))
            benchmark = _expit(x[rows] @ loo[:k] + typical_colleague)
        else:
            benchmark = typical[rows]
        trials = [(int(n[r]), float(p)) for r, p in zip(rows, benchmark, strict=True)]
        results.append(
            MakerResult(
                maker=maker,
                decisions=decisions,
                granted=granted,
                expected=float((n[rows] * benchmark).sum()),
                effect=effect,
                effect_sd=effect_sd,
                adjusted_rate=on_caseload(effect),
                adjusted_interval=Interval(
                    on_caseload(effect - Z95 * effect_sd), on_caseload(effect + Z95 * effect_sd)
                ),
                p_value=poisson_binomial_p_value(trials, granted),
                label=(labels or {}).get(maker, maker),
            )
        )
    # Only decision-makers with enough decisions are judged, so only they are in the family
    # of tests the adjustment counts.
    judged = [r for r in results if r.decisions >= min_decisions]
    for result, q in zip(judged, benjamini_hochberg([r.p_value for r in judged]), strict=True):
        result.q_value = q
    for result in results:
        if result.decisions < min_decisions:
            result.verdict = TOO_FEW
        elif result.q_value < alpha:
            result.verdict = HIGHER if result.granted > result.expected else LOWER
    results.sort(key=lambda r: (r.adjusted_rate, r.label))
    return MonitorResult(
        makers=results,
        decisions=int(n.sum()),
        granted=int(y.sum()),
        typical_rate=on_caseload(0.0),
        tau=math.sqrt(tau2),
        groups=len(groups),
        periods=len(periods),
        alpha=alpha,
        min_decisions=min_decisions,
    )


def office_consistency(
    *, user, year_from: int | None = None, year_to: int | None = None, instance: str = "first"
) -> MonitorResult:
    """The monitor over the office's substantive decisions at one instance: nationality is
    the person's country of origin, the period the year of the decision."""
    from django.db.models import Count, Q
    from django.db.models.functions import ExtractYear

    from nansen.accounts.models import User
    from nansen.accounts.roles import Action
    from nansen.core.permissions import require
    from nansen.procedures.models import SUBSTANTIVE_OUTCOMES, Decision, Outcome

    require(user, Action.MONITOR_CONSISTENCY)
    decisions = Decision.objects.filter(
        application__office_id=user.office_id,
        instance=instance,
        outcome__in=SUBSTANTIVE_OUTCOMES,
    )
    if year_from is not None:
        decisions = decisions.filter(decided_on__year__gte=year_from)
    if year_to is not None:
        decisions = decisions.filter(decided_on__year__lte=year_to)
    rows = (
        decisions.annotate(d_year=ExtractYear("decided_on"))
        .values("decided_by_id", "application__person__country_of_origin", "d_year")
        .annotate(
            n=Count("pk"),
            granted=Count("pk", filter=Q(outcome__in=(Outcome.RECOGNIZED, Outcome.COMPLEMENTARY))),
        )
        .order_by()
    )
    cells = [
        Cell(
            str(r["decided_by_id"]),
            r["application__person__country_of_origin"],
            str(r["d_year"]),
            r["n"],
            r["granted"],
        )
        for r in rows
    ]
    makers = {int(c.maker) for c in cells}
    labels = {str(u.pk): u.display_name for u in User.objects.filter(pk__in=makers).order_by("pk")}
    return consistency_monitor(cells, labels=labels)
