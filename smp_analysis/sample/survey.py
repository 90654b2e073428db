"""Community-safety survey responses (``survey.csv``, docs/data-formats.md §8).

Two surveys, two years each: the public survey (about 1,000 respondents a year, aged 16+)
and the youth survey (about 400 a year, aged 11-17). Older people answer public surveys
more often than younger ones, so each respondent carries a weight that restores the
population's age × sex mix; the *weighted* share of positive answers is planted (S8).

Examples
--------
>>> SURVEY_COLUMNS
('survey', 'year', 'respondent_id', 'question', 'response', 'weight', 'age_group', 'sex')
>>> POSITIVE["safe_town_centre_after_dark"]
('Very safe', 'Fairly safe')
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.special import expit

__all__ = ["ANSWERS", "POSITIVE", "SURVEY_COLUMNS", "SURVEY_TARGETS", "survey_responses"]

SURVEY_COLUMNS: tuple[str, ...] = (
    "survey",
    "year",
    "respondent_id",
    "question",
    "response",
    "weight",
    "age_group",
    "sex",
)
_SAFE = ("Very safe", "Fairly safe", "A bit unsafe", "Very unsafe", "Don't know")
_PROBLEM = (
    "Very big problem",
    "Fairly big problem",
    "Not a very big problem",
    "Not a problem at all",
    "Don't know",
)
_AGREE = (
    "Strongly agree",
    "Tend to agree",
    "Neither agree nor disagree",
    "Tend to disagree",
    "Strongly disagree",
)
#: Answer options of each question (positive answers first).
ANSWERS: dict[str, tuple[str, ...]] = {
    "safe_town_centre_after_dark": _SAFE,
    "safe_town_centre_day": _SAFE,
    "safe_local_area_after_dark": _SAFE,
    "asb_big_problem": _PROBLEM,
    "confidence_police_council": _AGREE,
}
#: The answers a config would count as positive for each question.
POSITIVE: dict[str, tuple[str, ...]] = {q: a[:2] for q, a in ANSWERS.items()}

#: Weighted share of positive answers (among those answering) by survey, question, year (S8).
SURVEY_TARGETS: dict[str, dict[str, dict[str, float]]] = {
    "public": {
        "safe_town_centre_after_dark": {"2023/24": 0.45, "2024/25": 0.55},
        "safe_town_centre_day": {"2023/24": 0.85, "2024/25": 0.87},
        "safe_local_area_after_dark": {"2023/24": 0.72, "2024/25": 0.73},
        "asb_big_problem": {"2023/24": 0.28, "2024/25": 0.26},
        "confidence_police_council": {"2023/24": 0.52, "2024/25": 0.55},
    },
    "youth": {
        "safe_town_centre_after_dark": {"2023/24": 0.35, "2024/25": 0.35},
        "safe_town_centre_day": {"2023/24": 0.78, "2024/25": 0.79},
        "safe_local_area_after_dark": {"2023/24": 0.60, "2024/25": 0.61},
        "asb_big_problem": {"2023/24": 0.33, "2024/25": 0.32},
        "confidence_police_council": {"2023/24": 0.45, "2024/25": 0.46},
    },
}
#: Respondents a year (expected).
_SIZE = {"public": 1000, "youth": 400}
_SEXES = ("Female", "Male", "Prefer not to say")
#: age group → (population share, response propensity, effect on feeling safe, logit scale)
_GROUPS = {
    "public": {
        "16-24": (0.13, 0.45, 0.10),
        "25-34": (0.16, 0.70, 0.15),
        "35-49": (0.25, 0.95, 0.05),
        "50-64": (0.24, 1.20, -0.05),
        "65+": (0.22, 1.50, -0.25),
    },
    "youth": {
        "11-13": (0.38, 1.20, -0.10),
        "14-15": (0.34, 1.00, 0.05),
        "16-17": (0.28, 0.70, 0.10),
    },
}
_SEX_SHARE = {"Female": 0.505, "Male": 0.485, "Prefer not to say": 0.01}
_SEX_EFFECT = {"Female": -0.35, "Male": 0.35, "Prefer not to say": 0.0}
_SEX_PROPENSITY = {"Female": 1.15, "Male": 0.85, "Prefer not to say": 1.0}
_BLANK = 0.02
_DONT_KNOW = 0.02


def _cells(survey: str) -> tuple[list[tuple[str, str]], np.ndarray, np.ndarray, np.ndarray]:
    cells, pop, propensity, effect = [], [], [], []
    for age, (share, prop, eff) in _GROUPS[survey].items():
        for sex in _SEXES:
            cells.append((age, sex))
            pop.append(share * _SEX_SHARE[sex])
            propensity.append(share * _SEX_SHARE[sex] * prop * _SEX_PROPENSITY[sex])
            effect.append(eff + _SEX_EFFECT[sex])
    pop_a = np.array(pop)
    prop_a = np.array(propensity)
    return cells, pop_a / pop_a.sum(), prop_a / prop_a.sum(), np.array(effect)


def _intercept(target: float, pop: np.ndarray, effect: np.ndarray, sensitivity: float) -> float:
    """Logit intercept so that the population-weighted positive share equals ``target``."""
    return brentq(lambda a: float(pop @ expit(a + sensitivity * effect)) - target, -10, 10)


def survey_responses(rng: np.random.Generator) -> pd.DataFrame:
    """Respondent × question rows for the public and youth surveys, 2023/24 and 2024/25.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    pandas.DataFrame
        :data:`SURVEY_COLUMNS`, all strings; ``response`` is blank when not answered.

    Examples
    --------
    >>> import numpy as np
    >>> sv = survey_responses(np.random.default_rng(0))
    >>> sorted(sv["survey"].unique()), sorted(sv["year"].unique())
    (['public', 'youth'], ['2023/24', '2024/25'])
    """
    frames = []
    for survey in ("public", "youth"):
        cells, pop, propensity, effect = _cells(survey)
        for year in ("2023/24", "2024/25"):
            n = int(rng.poisson(_SIZE[survey]))
            cell = rng.choice(len(cells), n, p=propensity)
            realised = np.bincount(cell, minlength=len(cells)) / n
            weight_of_cell = np.divide(pop, realised, out=np.zeros_like(pop), where=realised > 0)
            weight = weight_of_cell[cell]
            weight /= weight.mean()
            ids = [f"{survey[0].upper()}{year[2:4]}{year[5:7]}-{k + 1:04d}" for k in range(n)]
            for question, answers in ANSWERS.items():
                target = SURVEY_TARGETS[survey][question][year]
                sensitivity = 0.0 if question in ("asb_big_problem",) else 1.0
                answered_target = target / (1 - _DONT_KNOW)
                a = _intercept(answered_target, pop, effect, sensitivity)
                p_pos = expit(a + sensitivity * effect[cell]) * (1 - _DONT_KNOW)
                u = rng.random(n)
                positive = u < p_pos
                dont_know = (u >= p_pos) & (u < p_pos + _DONT_KNOW)
                strong = rng.random(n)
                response = np.where(
                    positive,
                    np.where(strong < 0.3, answers[0], answers[1]),
                    np.where(strong < 0.6, answers[2], answers[3]),
                ).astype(object)
                if answers[4] == "Don't know":
                    response[dont_know] = "Don't know"
                else:
                    response[dont_know] = answers[2]
                response[rng.random(n) < _BLANK] = ""
                frames.append(
                    pd.DataFrame(
                        {
                            "survey": survey,
                            "year": year,
                            "respondent_id": ids,
                            "question": question,
                            "response": response,
                            "weight": [f"{w:.4f}" for w in weight],
                            "age_group": [cells[c][0] for c in cell],
                            "sex": [cells[c][1] for c in cell],
                        },
                        dtype=object,
                    )
                )
    out = pd.concat(frames, ignore_index=True)
    order = out["question"].map({q: k for k, q in enumerate(ANSWERS)})
    return (
        out.assign(_q=order)
        .sort_values(["survey", "year", "respondent_id", "_q"], kind="stable")[list(SURVEY_COLUMNS)]
        .reset_index(drop=True)
    )
