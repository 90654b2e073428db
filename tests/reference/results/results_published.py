"""Published outputs of independent implementations, copied with their producing call.

Every number here was printed by someone else's software (R, an R package's
documentation or test snapshot) and is used to check our implementation. Nothing in this
file was produced by smp_analysis.
"""

# ----------------------------------------------------------------------------- R poisson.test
# R: poisson.test(c(11, 6+8+7), c(800, 1083+1050+878))      (the ?poisson.test example)
# Printed R output, as reproduced in a public GitHub validation note found with the code
# search (a Rust "p2a-core" poisson.test validation document; the one-sample numbers in the
# same document are NOT R's and are not used):
#   count1 = 11, expected count1 = 6.7174, p-value = 0.07967
#   95 percent confidence interval: 0.8584264 4.2772659
#   rate ratio 1.971488
R_POISSON_TWO_SAMPLE = {
    "count1": 11,
    "exposure1": 800,
    "count2": 6 + 8 + 7,
    "exposure2": 1083 + 1050 + 878,
    "expected_count1": 6.7174,  # printed to 5 significant figures
    "p_value": 0.07967,  # printed to 4 significant figures
    "ci": (0.8584264, 4.2772659),  # printed to 7 significant figures
    "rate_ratio": 1.971488,  # printed to 7 significant figures
}

# R: poisson.test(x = c(sum(c(0,0,0,1,1)), sum(c(1,2,3,3,4))), T = c(5, 5))
# Printed R output in the question of stats.stackexchange.com/questions/547389
# ("Simple comparison of two Poisson means in R?"):
#   count1 = 2, expected count1 = 7.5, p-value = 0.007385
#   95 percent confidence interval: 0.01685531 0.67955077
#   rate ratio 0.1538462
R_POISSON_SE_547389 = {
    "count1": 2,
    "exposure1": 5,
    "count2": 13,
    "exposure2": 5,
    "expected_count1": 7.5,
    "p_value": 0.007385,  # 4 significant figures
    "ci": (0.01685531, 0.67955077),  # 7 significant figures
    "rate_ratio": 0.1538462,
}

# R exactci: poisson.exact(c(60, 30), c(51477.5, 54308.7), tsmethod = "minlike", midp = FALSE)
# from statsmodels/stats/tests/results/results_rates.py (res_pexact_cond). The two-sided
# "minlike" p-value is the one R's binom.test / poisson.test report (the confidence interval
# of exactci's minlike method is NOT poisson.test's and is not used).
EXACTCI_MINLIKE = {
    "count1": 60,
    "exposure1": 51477.5,
    "count2": 30,
    "exposure2": 54308.7,
    "p_value": 0.000675182658686321,
    "rate_ratio": 2.10999757175465,
    "expected_count1": 43.7956463130352,
}

# ----------------------------------------------------------------------------- exact Poisson CI
# R: poisson.test(137, 24.19893)$conf.int   (the ?poisson.test one-sample example)
# printed by an R package's pkgdown reference page ("poissonCI(x = 137, n = 24.19893)",
# whose "exact" method is documented as stats::poisson.test):
#   est 5.661407  lci 4.753125  uci 6.692709
R_POISSON_ONE_SAMPLE = {
    "count": 137,
    "exposure": 24.19893,
    "estimate": 5.661407,
    "ci": (4.753125, 6.692709),
}
# Same page, horse-kick data: x = 196 deaths in n = 280 corps-years, exact method:
#   est 0.7000000  lci 0.6054271  uci 0.8051570
R_POISSON_HORSE_KICKS = {
    "count": 196,
    "exposure": 280,
    "estimate": 0.7,
    "ci": (0.6054271, 0.8051570),
}
# R survival package, ?cipoisson example (comment in the Rd file):
#   cipoisson(4)   # 95% confidence limit
#   lower 1.089865  upper 10.24153
# (ppois(4, 10.24153) is printed as 0.02500096 there: the upper value is rounded/approximate.)
R_SURVIVAL_CIPOISSON_4 = {"count": 4, "ci": (1.089865, 10.24153)}

# ----------------------------------------------------------------------------- NHSRplotthedots
# set.seed(123); y <- rnorm(20)  as printed (3 significant figures) in
# nhs-r-community/NHSRplotthedots tests/testthat/_snaps/ptd_spc_standard.md
PTD_RNORM20_PRINTED = [
    -0.560,
    -0.230,
    1.56,
    0.0705,
    0.129,
    1.72,
    0.461,
    -1.27,
    -0.687,
    -0.446,
    1.22,
    0.360,
    0.401,
    0.111,
    -0.556,
    1.79,
    0.498,
    -1.97,
    0.701,
    -0.473,
]
# ptd_spc(data, value_field = y, date_field = x) summary, same repository,
# tests/testthat/_snaps/ptd_spc.md (printed to 3 significant figures, 20 common-cause points):
PTD_RNORM20_SUMMARY = {"mean": 0.142, "lpl": -3.01, "upl": 3.29, "common_cause": 20}
# Same snapshot file, faceted with d$facet <- rep(c(0, 1), each = 10) (test-ptd_spc.R).
PTD_RNORM20_FACETS = {
    0: {"mean": 0.0746, "lpl": -2.60, "upl": 2.75, "common_cause": 10},
    1: {"mean": 0.209, "lpl": -3.28, "upl": 3.70, "common_cause": 10},
}
