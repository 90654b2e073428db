"""Peer comparison statistics against R 4.2 (calls and outputs beside the numbers)."""

from __future__ import annotations

import pandas as pd
import pytest

from smp_analysis.stats.funnel import funnel_limits, funnel_significance
from smp_analysis.stats.peers import change_versus_group, versus_group

# Funnel limits by hand in base R (PHE crude-rate funnel: E = rate * n / 1000; the lower limit
# is the count whose exact upper limit is E, the upper the count whose exact lower limit is E):
#
# Rscript -e 'lim <- function(n, r, lev){E <- r*n/1000; a <- 1-lev;
#   lo <- if (qgamma(1-a/2, 1) >= E) 0 else
#     uniroot(function(x) qgamma(1-a/2, x+1)-E, c(0, E+20*sqrt(E)+50), tol=1e-12)$root;
#   hi <- uniroot(function(x) qgamma(a/2, x)-E, c(1e-12, E+20*sqrt(E)+50), tol=1e-12)$root;
#   c(lo/n*1000, hi/n*1000)}; options(digits=10);
#   for (n in c(40, 1000, 2500, 10000, 100000, 175812)) for (lev in c(0.95, 0.998))
#     print(c(n, lev, lim(n, 50, lev)))'
# [1]  40.0000000   0.9500000   0.0000000 141.4583765
# [1]  40.0000000   0.9980000   0.0000000 201.5594621
# [1] 1000.00000000    0.95000000   36.13847761   64.81140377
# [1] 1000.00000000    0.99800000   29.15325013   73.71304239
# [1] 2500.00000000    0.95000000   41.23012122   59.14917611
# [1] 2500.00000000    0.99800000   36.56918336   64.57334484
# [1] 10000.00000000     0.95000000    45.61546998    54.47927256
# [1] 10000.00000000     0.99800000    43.18482375    57.10032140
# [1] 100000.00000000      0.95000000     48.61385457     51.39561724
# [1] 100000.00000000      0.99800000     47.82419592     52.20430413
# [1] 175812.00000000      0.95000000     48.95463669     51.05075070
# [1] 175812.00000000      0.99800000     48.35731144     51.65889870
R_FUNNEL = [
    (40, 0.0, 141.4583765, 0.0, 201.5594621),
    (1000, 36.13847761, 64.81140377, 29.15325013, 73.71304239),
    (2500, 41.23012122, 59.14917611, 36.56918336, 64.57334484),
    (10000, 45.61546998, 54.47927256, 43.18482375, 57.10032140),
    (100000, 48.61385457, 51.39561724, 47.82419592, 52.20430413),
    (175812, 48.95463669, 51.05075070, 48.35731144, 51.65889870),
]


@pytest.mark.parametrize("n, lo95, hi95, lo998, hi998", R_FUNNEL)
def test_funnel_limits_match_r(n, lo95, hi95, lo998, hi998):
    got = funnel_limits([n], 50.0).iloc[0]
    assert got["lower_95"] == pytest.approx(lo95, abs=1e-6)
    assert got["upper_95"] == pytest.approx(hi95, rel=1e-8)
    assert got["lower_99_8"] == pytest.approx(lo998, abs=1e-6)
    assert got["upper_99_8"] == pytest.approx(hi998, rel=1e-8)


def test_funnel_significance_agrees_with_the_limits():
    # Rscript -e 'print(c(qgamma(0.001, 10), qgamma(0.999, 11)))'
    # [1]  2.960520373 24.133971145
    # 10 events: exact 99.8% interval (2.9605, 24.134) -> an expected count of 2.9 is below
    # it (area high), of 3.0 inside it
    assert funnel_significance(10, 1000, 2.9) == "high (outside 99.8%)"
    assert funnel_significance(10, 1000, 3.0) == "high (outside 95%)"
    assert funnel_significance(10, 1000, 24.2) == "low (outside 99.8%)"
    # a rate exactly on the R limit line is at the boundary: just inside / just outside
    lo = R_FUNNEL[1][1]  # n = 1000: the 95% lower limit 36.138 per 1,000 at E = 50
    assert funnel_significance(37, 1000, 50.0) == "within limits"
    assert funnel_significance(36, 1000, 50.0).startswith("low")
    assert 36 < lo < 37


def test_versus_group_matches_poisson_test():
    # Rscript -e 'options(digits=12); p <- poisson.test(c(1890,14210), c(175812,1700000));
    #   print(c(p$estimate, p$conf.int, p$p.value))'
    # 1.28608044038e+00 1.22518082041e+00 1.34940589461e+00 2.52709315755e-23
    # Rscript -e 'p <- poisson.test(c(7,40), c(20000,60000)); print(c(p$estimate, p$conf.int,
    #   p$p.value))'   0.525000000000 0.198444679502 1.184436190195 0.129516158546
    f = pd.DataFrame(
        {
            "category": ["All crime"] * 3 + ["Robbery"] * 3,
            "area": ["M", "P1", "P2"] * 2,
            "count": [1890, 10000, 4210, 7, 25, 15],
            "population": [175812, 1_000_000, 700_000, 20000, 30000, 30000],
        }
    )
    r = versus_group(f, "M", by=["category"]).set_index("category")
    a = r.loc["All crime"]
    assert a["rest_count"] == 14210 and a["rest_population"] == 1_700_000
    assert a["rate_ratio"] == pytest.approx(1.28608044038, rel=1e-9)
    assert a["ci_low"] == pytest.approx(1.22518082041, rel=1e-8)
    assert a["ci_high"] == pytest.approx(1.34940589461, rel=1e-8)
    assert a["p_value"] == pytest.approx(2.52709315755e-23, rel=1e-6)
    b = r.loc["Robbery"]
    assert b["rate_ratio"] == pytest.approx(0.525, rel=1e-9)
    assert b["ci_low"] == pytest.approx(0.198444679502, rel=1e-8)
    assert b["ci_high"] == pytest.approx(1.184436190195, rel=1e-8)
    assert b["p_value"] == pytest.approx(0.129516158546, rel=1e-8)
    # Rscript -e 'print(p.adjust(c(2.52709315755e-23, 0.129516158546), "BH"))'
    # BH with 2 tests: q = (5.05418631510e-23, 0.129516158546)
    assert a["q_value"] == pytest.approx(2 * 2.52709315755e-23, rel=1e-6)
    assert b["q_value"] == pytest.approx(0.129516158546, rel=1e-8)
    assert (a["verdict"], b["verdict"]) == ("above", "similar")
    assert a["group_rate"] == pytest.approx((1890 + 14210) / (175812 + 1_700_000) * 1000)


def test_versus_group_missing_peer_is_not_zero():
    f = pd.DataFrame({"area": ["M", "P"], "count": [10, float("nan")], "population": [1e3, 1e3]})
    r = versus_group(f, "M").iloc[0]
    assert pd.isna(r["rest_count"]) and r["verdict"] == "not tested"


def test_ratio_of_rate_ratios_matches_glm_interaction():
    # Rscript -e 'd <- data.frame(y=c(1450,1300,9800,10100), area=factor(c("A","A","B","B"),
    #   levels=c("B","A")), year=factor(c(1,0,1,0)));
    #   s <- summary(glm(y ~ area*year, family=poisson, data=d))$coefficients;
    #   est <- s["areaA:year1",1]; se <- s["areaA:year1",2];
    #   print(c(exp(c(est, est - qnorm(0.975)*se, est + qnorm(0.975)*se)), s["areaA:year1",4]))'
    # [1] 1.149529042386179 1.061304540375603 1.245087502237225 0.000625443665699
    f = pd.DataFrame(
        {
            "area": ["A", "B1", "B2"],
            "count_current": [1450, 5000, 4800],
            "count_previous": [1300, 5100, 5000],
        }
    )
    r = change_versus_group(f, "A").iloc[0]
    assert r["rest_current"] == 9800 and r["rest_previous"] == 10100
    assert r["rrr"] == pytest.approx(1.149529042386179, rel=1e-10)
    assert r["ci_low"] == pytest.approx(1.061304540375603, rel=1e-8)
    assert r["ci_high"] == pytest.approx(1.245087502237225, rel=1e-8)
    assert r["p_value"] == pytest.approx(0.000625443665699, rel=1e-6)
    assert r["verdict"] == "rose more"


def test_ratio_of_rate_ratios_zero_count_not_tested():
    f = pd.DataFrame({"area": ["A", "B"], "count_current": [0, 50], "count_previous": [3, 40]})
    r = change_versus_group(f, "A").iloc[0]
    assert r["verdict"] == "not tested" and pd.isna(r["p_value"])
