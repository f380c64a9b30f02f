"""Applicability of NPI, CTS5 and VNPI: an explicit value with reasons written for people,
never an input-check message about a value nobody entered (issue 8)."""

from __future__ import annotations

import re

import numpy as np

from axilla.models.cts5 import cts5_applicability, cts5_results
from axilla.models.npi import npi_applicability, npi_results
from axilla.models.vnpi import vnpi_applicability

NAN = np.nan
CHECK_MESSAGE = re.compile(r"must be|\(got|_mm|_years|positive_nodes")


def test_npi_reasons():
    why = npi_applicability(np.array([True, True, True, False]),
                            np.array([20.0, NAN, 20.0, NAN]), np.array([2.0, 2.0, NAN, NAN]))
    assert why[0] == ()
    assert why[1] == ("NPI needs the invasive tumour size in mm; it is not recorded",)
    assert why[2] == ("NPI needs the histological grade; it is not recorded",)
    assert why[3] == ("NPI is for invasive breast cancer; the tumour recorded is not "
                      "invasive",)


def test_cts5_reasons():
    why = cts5_applicability(
        invasive=np.array([True, True, True, True, False]),
        er_positive=np.array([1.0, 0.0, NAN, 1.0, 1.0]),
        age_years=np.array([60.0, 60.0, 60.0, 104.0, 60.0]),
        size_mm=np.array([20.0, 20.0, 20.0, 20.0, NAN]),
        grade=np.array([2.0, 2.0, NAN, 2.0, NAN]))
    assert why[0] == ()
    assert why[1] == ("CTS5 is for ER-positive disease; this cancer is ER-negative",)
    assert why[2] == ("CTS5 is for ER-positive disease; the ER status is not recorded",
                      "CTS5 needs the histological grade; it is not recorded")
    assert why[3] == ("CTS5 was derived for ages 18 to 100 years; the age given is 104",)
    assert why[4][0].startswith("CTS5 is for invasive breast cancer")


def test_vnpi_reasons():
    why = vnpi_applicability(np.array([True, True, False]), np.array([12.0, NAN, 12.0]),
                             np.array([5.0, 5.0, 5.0]), np.array([2.0, NAN, 2.0]),
                             np.array([0.0, 1.0, 0.0]))
    assert why[0] == ()
    assert why[1] == ("VNPI needs the DCIS size in mm; it is not recorded",
                      "VNPI needs the DCIS nuclear grade; it is not recorded")
    assert why[2][0].startswith("VNPI is for pure DCIS")


def test_no_reason_reads_like_an_input_check():
    reasons = [r for rows in (
        npi_applicability(np.array([True, True, False]), np.array([NAN, 1.0, NAN]),
                          np.array([NAN, NAN, NAN])),
        cts5_applicability(np.array([True, True]), np.array([NAN, 0.0]),
                           np.array([17.0, 101.0]), np.array([NAN, NAN]),
                           np.array([NAN, NAN])),
    ) for row in rows for r in row]
    assert reasons and not [r for r in reasons if CHECK_MESSAGE.search(r)]


def test_batch_results_match_the_published_equations_by_hand():
    # NPI = 0.2 x size_cm + N + G (Haybittle 1982): 0.4 + 1 + 2 = 3.4 (GPG, <= 3.4 inclusive);
    # 4 nodes -> N 3: 0.2 x 3.5 + 3 + 3 = 6.7
    npi = npi_results(np.array([20.0, 35.0]), np.array([0, 4]), np.array([2, 3]),
                      np.array([0, 0]), np.array([0, 0]))
    assert [r.score for r in npi] == [3.4, 6.7]
    assert [r.group6 for r in npi] == ["GPG", "VPG"]
    # CTS5 = 0.438 x N + 0.988 x (0.093 S - 0.001 S^2 + 0.375 G + 0.017 A) (Dowsett 2018)
    cts5 = cts5_results(np.array([60.0]), np.array([20.0]), np.array([2]), np.array([0]),
                        np.array([0]), np.array([0]), np.array([1.0]))
    assert abs(cts5[0].score - 0.988 * (1.86 - 0.4 + 0.75 + 1.02)) < 1e-12
    assert cts5[0].group == "intermediate"
