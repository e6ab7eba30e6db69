"""carecost.investment.io: Leontief algebra against Miller and Blair (2009), chapter 2.

Published numbers used (Miller, R. E. and Blair, P. D., 2009, *Input-Output Analysis*, 2nd ed.,
section 2.3, "Numerical Example: Hypothetical Figures"):

* Table 2.3 (p. 22): flows Z = [[150, 500], [200, 100]], final demand f = (350, 1700),
  payments sector (650, 1400), total output x = (1000, 2000);
* Table 2.4: A = [[.15, .25], [.20, .05]];
* the Leontief inverse printed after it: [[1.254, .330], [.264, 1.122]] (three decimals);
* new final demand f_new = (600, 1500) gives x_new = (1247.52, 1841.58) (eq. 2.13), new flows
  [[187.13, 460.40], [249.51, 92.08]] and payments (810.89, 1289.11).

I could not read the book itself; these values are taken as reproduced, with the book's table
numbers, in the pymrio documentation notebook ``pymrio_directly_assign_attributes`` (IndEcol/
pymrio, "Table 2.3 (on page 22 in the 2009 edition)", "Table 2.4 and L given on the next page",
"xnew values given in Miller and Blair (2009) at formula 2.13") and in R. Vargas's course script
of the same example (which prints the new flows and payments).

The chapter 2 labour example ("labor inputs" of 300 and 500 in the base year, i.e. labour-input
coefficients .30 and .25, and the labour needed to produce the new outputs x_new rounded to
(1247.5, 1841.6): 374.25 and 460.4) is taken as reproduced in pymrio's test suite
(IndEcol/pymrio, ``tests/test_math.py``, fixture ``td_IO_Data_Miller``: "This data is from the
chapter 2 of Input-output analysis ... Miller, Ronald E and Blair, Peter D -- 2009", with
``labcoeff`` (0.3, 0.25), ``xnew`` (1247.5, 1841.6) and ``labtot`` (374.25, 460.4)).  The
household-closed (section 2.5) numbers of the book were not found in a source I could read, so
Type II multipliers are tested against hand-computed values and the algebraic identities of
sections 2.5 and 6.2.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from carecost.investment import (
    InvestmentInputError,
    IOModel,
    closed_leontief_inverse,
    employment_coefficients,
    employment_multipliers,
    income_multipliers,
    industry_direct_requirements,
    industry_total_requirements,
    leontief_inverse,
    output_multipliers,
    technical_coefficients,
)
from carecost.investment.io import domestic_shares, read_bea_matrix

Z = np.array([[150.0, 500.0], [200.0, 100.0]])
F = np.array([350.0, 1700.0])
X = np.array([1000.0, 2000.0])
PAYMENTS = np.array([650.0, 1400.0])


def test_miller_blair_table_2_3_balances():
    # Table 2.3: rows (intermediate + final) and columns (intermediate + payments) both sum to x.
    np.testing.assert_allclose(Z.sum(axis=1) + F, X)
    np.testing.assert_allclose(Z.sum(axis=0) + PAYMENTS, X)


def test_miller_blair_table_2_4_technical_coefficients():
    a = technical_coefficients(Z, X)
    np.testing.assert_allclose(a, [[0.15, 0.25], [0.20, 0.05]], atol=1e-12)


def test_miller_blair_leontief_inverse_three_decimals():
    lo = leontief_inverse(technical_coefficients(Z, X))
    np.testing.assert_allclose(np.round(lo, 3), [[1.254, 0.330], [0.264, 1.122]], atol=0)
    # and it reproduces the base-year outputs
    np.testing.assert_allclose(lo @ F, X)


def test_miller_blair_eq_2_13_new_final_demand():
    a = technical_coefficients(Z, X)
    x_new = leontief_inverse(a) @ np.array([600.0, 1500.0])
    np.testing.assert_allclose(np.round(x_new, 2), [1247.52, 1841.58], atol=0)
    z_new = a * x_new  # A diag(x_new)
    # published to 2 decimals; 249.51 (= .2 x 1247.52 rounded up) differs by one unit in the
    # last digit from .2 x 1247.5248 = 249.505, so allow one unit of the last published digit
    np.testing.assert_allclose(z_new, [[187.13, 460.40], [249.51, 92.08]], atol=0.0101)
    payments_new = x_new - z_new.sum(axis=0)
    np.testing.assert_allclose(payments_new, [810.89, 1289.11], atol=0.005)


def test_miller_blair_chapter_2_labour_example():
    # Labour inputs of 300 and 500 at x = (1000, 2000): coefficients .30 and .25.
    e = employment_coefficients([300.0, 500.0], X)
    np.testing.assert_allclose(e, [0.30, 0.25], atol=1e-15)
    lo = leontief_inverse(technical_coefficients(Z, X))
    x_new = lo @ np.array([600.0, 1500.0])
    # the book works with x_new to one decimal (1247.5, 1841.6) and prints 374.25 and 460.4
    np.testing.assert_allclose(e * np.round(x_new, 1), [374.25, 460.4], atol=1e-9)
    # the same labour through the employment multipliers e'L applied to the new final demand
    em = employment_multipliers(lo, e)
    labour = em["total"].to_numpy() * np.array([600.0, 1500.0])
    np.testing.assert_allclose(labour.sum(), (e * x_new).sum(), rtol=1e-12)
    np.testing.assert_allclose((e * x_new).sum(), 374.25 + 460.4, atol=0.05)


def test_output_multipliers_are_column_sums():
    lo = leontief_inverse(technical_coefficients(Z, X))
    om = output_multipliers(lo)
    # by hand, the column sums of the unrounded inverse
    np.testing.assert_allclose(om.to_numpy(), [1.518152, 1.452145], atol=1e-6)


def test_power_series_approximation_section_2_4():
    a = technical_coefficients(Z, X)
    approx = sum(np.linalg.matrix_power(a, k) for k in range(60))
    np.testing.assert_allclose(approx, leontief_inverse(a), atol=1e-12)


def test_employment_multipliers_hand_computed():
    # Hypothetical employment of 100 and 300 jobs (not from the book): e = (0.1, 0.15) per unit.
    a = technical_coefficients(Z, X)
    lo = leontief_inverse(a)
    e = employment_coefficients([100.0, 300.0], X)
    np.testing.assert_allclose(e, [0.1, 0.15])
    em = employment_multipliers(lo, e)
    # hand: .1 * 1.254125 + .15 * .264026 = .165016; .1 * .330033 + .15 * 1.122112 = .201320
    np.testing.assert_allclose(em["total"], [0.165016, 0.201320], atol=1e-6)
    np.testing.assert_allclose(em["indirect"], em["total"] - e)
    np.testing.assert_allclose(em["ratio"], em["total"] / e)


def test_closed_model_type_ii_income_multiplier_ratio_is_constant():
    # Miller and Blair (2009), section 6.2.2: Type II / Type I income multipliers is the same
    # for every sector.  Households: labour income 0.3 and 0.25 per unit, spend .3/.5 of income.
    a = technical_coefficients(Z, X)
    im = income_multipliers(a, [0.3, 0.25], [0.3, 0.5])
    ratio = im["type_ii"] / im["type_i"]
    np.testing.assert_allclose(ratio, ratio.iloc[0])
    assert (im["total"] > im["simple"]).all()


@settings(max_examples=40, deadline=None)
@given(
    a=hnp.arrays(np.float64, (4, 4), elements=st.floats(0, 0.2)),
    h=hnp.arrays(np.float64, 4, elements=st.floats(0.01, 0.5)),
    c=hnp.arrays(np.float64, 4, elements=st.floats(0.0, 0.2)),
)
def test_type_ii_ratio_constant_property(a, h, c):
    im = income_multipliers(a, h, c)
    ratio = (im["type_ii"] / im["type_i"]).to_numpy()
    np.testing.assert_allclose(ratio, ratio[0], rtol=1e-9)


@settings(max_examples=50, deadline=None)
@given(
    a=hnp.arrays(np.float64, (5, 5), elements=st.floats(0, 0.19)),
    f=hnp.arrays(np.float64, 5, elements=st.floats(0, 1e3)),
)
def test_leontief_properties(a, f):
    lo = leontief_inverse(a)
    # (I - A) x = f, L >= I, output multipliers >= 1 for non-negative A with column sums < 1
    np.testing.assert_allclose((np.eye(5) - a) @ (lo @ f), f, atol=1e-8)
    assert np.all(lo >= np.eye(5) - 1e-12)
    assert np.all(output_multipliers(lo).to_numpy() >= 1 - 1e-12)


def test_closed_inverse_matches_iomodel_impact():
    a = technical_coefficients(Z, X)
    model = IOModel.from_coefficients(
        a,
        sectors=["s1", "s2"],
        output=X,
        employment=[0.1, 0.15],
        compensation=[0.3, 0.25],
        consumption_shares=[0.375, 0.625],
        female_share=[0.4, 0.7],
    )
    imp = model.impact({"s1": 100.0}, propensity_to_consume=0.8)
    lbar = closed_leontief_inverse(a, [0.3, 0.25], 0.8 * np.array([0.375, 0.625]))
    total_out = imp.groupby("sector")["output"].sum().to_numpy()
    np.testing.assert_allclose(total_out, lbar[:2, :2] @ [100.0, 0.0])
    mm = model.multipliers(propensity_to_consume=0.8)
    np.testing.assert_allclose(
        imp["jobs"].sum(), 100 * mm.loc["s1", "employment_multiplier_type_ii"]
    )


def test_pymrio_duck_typed_system():
    # The structure of pymrio's IOSystem (A, x, an extension with F), filled with Table 2.3.
    idx = pd.MultiIndex.from_product([["reg1"], ["sector1", "sector2"]], names=["region", "sector"])
    a = pd.DataFrame(technical_coefficients(Z, X), index=idx, columns=idx)
    x = pd.DataFrame({"indout": X}, index=idx)
    f_emp = pd.DataFrame([[100.0, 300.0]], index=["employment"], columns=idx)
    f_fac = pd.DataFrame([PAYMENTS], index=["Payments_sectors"], columns=idx)
    y = pd.DataFrame({("reg1", "final demand"): F}, index=idx)
    io = SimpleNamespace(
        A=a,
        x=x,
        Y=y,
        employment=SimpleNamespace(F=f_emp, S=None),
        factor_input=SimpleNamespace(F=f_fac, S=None),
    )
    model = IOModel.from_pymrio(
        io,
        employment=("employment", "employment"),
        compensation=("factor_input", "Payments_sectors"),
        household_demand=("reg1", "final demand"),
    )
    assert model.sectors == ("reg1/sector1", "reg1/sector2")
    np.testing.assert_allclose(np.round(model.L, 3), [[1.254, 0.330], [0.264, 1.122]], atol=0)
    np.testing.assert_allclose(model.employment, [0.1, 0.15])
    np.testing.assert_allclose(model.compensation, [0.65, 0.7])
    np.testing.assert_allclose(model.consumption_shares, F / F.sum())
    with pytest.raises(InvestmentInputError, match="io has no extension 'jobs'"):
        IOModel.from_pymrio(io, employment=("jobs", "x"))
    with pytest.raises(InvestmentInputError, match=r"io\.A is missing"):
        IOModel.from_pymrio(SimpleNamespace(A=None, x=x), employment=("employment", "employment"))


def _tiny_use_make():
    # 2 industries (i1, i2), 3 commodities (c1, c2, Used); i2 makes some c1 (secondary product).
    make = pd.DataFrame(
        {
            "row_code": ["i1", "i2", "Total Commodity Output"],
            "row_name": ["Ind 1", "Ind 2", "Total Commodity Output"],
            "c1": [90.0, 10.0, 100.0],
            "c2": [0.0, 200.0, 200.0],
            "Used": [0.0, 5.0, 5.0],
            "Total Industry Output": [90.0, 215.0, 305.0],
        }
    )
    use = pd.DataFrame(
        {
            "row_code": ["c1", "c2", "Used", "Total Intermediate", "V001", "Total Industry Output"],
            "row_name": [
                "C1",
                "C2",
                "Scrap",
                "Total Intermediate",
                "Comp",
                "Total Industry Output",
            ],
            "i1": [9.0, 18.0, 1.0, 28.0, 30.0, 90.0],
            "i2": [30.0, 20.0, 0.0, 50.0, 100.0, 215.0],
            "Total Intermediate": [39.0, 38.0, 1.0, 78.0, 130.0, 305.0],
            "F010": [61.0, 162.0, 4.0, 227.0, 0.0, 0.0],
            "Total Commodity Output": [100.0, 200.0, 5.0, 305.0, 0.0, 0.0],
        }
    )
    return use, make


def test_industry_total_requirements_small_table_by_hand():
    use, make = _tiny_use_make()
    tr = industry_total_requirements(use, make)
    assert list(tr.index) == ["i1", "i2"] and list(tr.columns) == ["i1", "i2"]
    b = np.array([[9 / 90, 30 / 215], [18 / 90, 20 / 215], [1 / 90, 0]])
    d = np.array([[0.9, 0.0, 0.0], [0.1, 1.0, 1.0]])
    np.testing.assert_allclose(industry_direct_requirements(use, make).to_numpy(), d @ b)
    np.testing.assert_allclose(tr.to_numpy(), np.linalg.inv(np.eye(2) - d @ b))


def test_industry_total_requirements_without_total_rows():
    use, make = _tiny_use_make()
    tr = industry_total_requirements(use, make)
    tr2 = industry_total_requirements(
        use[use["row_code"] != "Total Industry Output"],
        make[make["row_code"] != "Total Commodity Output"],
    )
    pd.testing.assert_frame_equal(tr, tr2)


def test_industry_total_requirements_errors():
    use, make = _tiny_use_make()
    with pytest.raises(InvestmentInputError, match="lacks industry columns"):
        industry_total_requirements(use.drop(columns=["i2"]), make)
    with pytest.raises(InvestmentInputError, match="lacks commodity rows"):
        industry_total_requirements(use[use["row_code"] != "c2"], make)
    with pytest.raises(InvestmentInputError, match="row_code"):
        industry_total_requirements(use.drop(columns=["row_code"]), make)


def test_bad_inputs_named():
    with pytest.raises(InvestmentInputError, match="square"):
        leontief_inverse(np.ones((2, 3)))
    with pytest.raises(InvestmentInputError, match="output has 3 entries"):
        technical_coefficients(Z, [1.0, 2.0, 3.0])
    with pytest.raises(InvestmentInputError, match=r"consumption_shares sum to 0\.9"):
        IOModel.from_coefficients(np.zeros((2, 2)), consumption_shares=[0.4, 0.5])
    with pytest.raises(InvestmentInputError, match=r"column sum of A for sector S1 = 1\.2"):
        IOModel.from_coefficients(np.array([[0.6, 0.0], [0.6, 0.1]]))
    model = IOModel.from_coefficients(np.array([[0.1, 0.0], [0.1, 0.1]]))
    with pytest.raises(InvestmentInputError, match="sector = 'XX' is not in the model"):
        model.index_of("XX")


# ------------------------------------------------------------------ review fixes
def test_read_bea_matrix_zero_only_for_dots_and_blanks():
    table = pd.DataFrame(
        {
            "row_code": ["a", "b"],
            "row_name": ["A", "B"],
            "x": [1.5, "..."],
            "y": ["", None],
            "z": [" ... ", 2],
        }
    )
    out = read_bea_matrix(table)
    np.testing.assert_array_equal(out.to_numpy(), [[1.5, 0.0, 0.0], [0.0, 0.0, 2.0]])
    table.loc[1, "y"] = "(D)"  # BEA: suppressed to avoid disclosure, not zero
    with pytest.raises(
        InvestmentInputError,
        match=r"table cells \(row b, column y\) = '\(D\)' are not numbers; allowed a number, "
        r"'\.\.\.' or an empty cell",
    ):
        read_bea_matrix(table)


def _pymrio_like(y_columns: pd.MultiIndex, y_values: np.ndarray) -> SimpleNamespace:
    """Stand-in for a pymrio IOSystem with 2 regions x 2 sectors: A, x, Y with (region,
    category) columns, and an employment extension with F (as pymrio lays them out)."""
    idx = pd.MultiIndex.from_product([["R1", "R2"], ["s1", "s2"]], names=["region", "sector"])
    a = pd.DataFrame(np.full((4, 4), 0.1), index=idx, columns=idx)
    x = pd.DataFrame({"indout": [100.0, 200.0, 50.0, 80.0]}, index=idx)
    f_emp = pd.DataFrame([[10.0, 20.0, 5.0, 8.0]], index=["Employment"], columns=idx)
    return SimpleNamespace(
        A=a,
        x=x,
        Y=pd.DataFrame(y_values, index=idx, columns=y_columns),
        employment=SimpleNamespace(F=f_emp, S=None),
    )


def test_pymrio_household_demand_with_region_category_columns():
    hh = "Final consumption expenditure by households"
    cols = pd.MultiIndex.from_product(
        [["R1", "R2"], [hh, "Gross fixed capital formation"]], names=["region", "category"]
    )
    y = np.array(
        [[10.0, 99.0, 5.0, 99.0], [20.0, 99.0, 0.0, 99.0], [1.0, 99.0, 4.0, 99.0], [0, 0, 10, 0]]
    )
    io = _pymrio_like(cols, y)
    model = IOModel.from_pymrio(io, employment=("employment", "Employment"), household_demand=hh)
    expected = np.array([15.0, 20.0, 5.0, 10.0])  # households of R1 + R2, by (region, sector)
    np.testing.assert_allclose(model.consumption_shares, expected / expected.sum())
    np.testing.assert_allclose(model.employment, [0.1, 0.1, 0.1, 0.1])
    # one full column label still works
    one = IOModel.from_pymrio(
        io, employment=("employment", "Employment"), household_demand=("R2", hh)
    )
    np.testing.assert_allclose(one.consumption_shares, np.array([5, 0, 4, 10]) / 19)
    with pytest.raises(
        InvestmentInputError,
        match=r"household_demand = 'Households' is not a column \(or final-demand category\) "
        r"of io\.Y; allowed: \['Final consumption",
    ):
        IOModel.from_pymrio(
            io, employment=("employment", "Employment"), household_demand="Households"
        )


def test_type_ii_needs_a_propensity_to_consume():
    model = IOModel.from_coefficients(
        technical_coefficients(Z, X),
        sectors=["s1", "s2"],
        employment=[0.1, 0.15],
        compensation=[0.3, 0.25],
        consumption_shares=[0.375, 0.625],
    )
    with pytest.raises(
        InvestmentInputError, match=r"induced = 'type_ii' needs propensity_to_consume"
    ):
        model.impact({"s1": 100.0})
    assert model.impact({"s1": 100.0}, induced="none")["effect"].unique().tolist() == [
        "direct",
        "indirect",
    ]
    mm = model.multipliers()
    assert "employment_multiplier_type_ii" not in mm.columns  # not silently equal to Type I
    mm2 = model.multipliers(propensity_to_consume=0.8, indirect_tax_rate=0.25)
    lbar = closed_leontief_inverse(
        technical_coefficients(Z, X), [0.3, 0.25], 0.75 * 0.8 * np.array([0.375, 0.625])
    )
    np.testing.assert_allclose(
        mm2["employment_multiplier_type_ii"], np.array([0.1, 0.15]) @ lbar[:2, :2]
    )
    assert (mm2["employment_multiplier_type_ii"] > mm2["employment_multiplier"]).all()
    with pytest.raises(InvestmentInputError, match=r"propensity_to_consume = 1\.5 is outside"):
        model.multipliers(propensity_to_consume=1.5)


def test_from_flows_compensation_errors_name_compensation():
    with pytest.raises(InvestmentInputError, match=r"^compensation must be >= 0; minimum is -5"):
        IOModel.from_flows(Z, X, employment=[100.0, 300.0], compensation=[-5.0, 10.0])
    with pytest.raises(InvestmentInputError, match=r"^employment must be >= 0"):
        IOModel.from_flows(Z, X, employment=[-1.0, 300.0], compensation=[5.0, 10.0])
    with pytest.raises(InvestmentInputError, match=r"^compensation contains non-finite values"):
        IOModel.from_flows(Z, X, compensation=[np.nan, 10.0])


def test_from_bea_reports_dropped_negative_consumption(tmp_path):
    """PCE redistributed to industries can be negative (BEA's 'Other': noncomparable imports
    and the rest-of-world adjustment, made by GFGN); it is set to 0 and reported."""
    use, make = _tiny_use_make()
    use.loc[use["row_code"] == "Used", "F010"] = -50.0  # 'Used' is made by i2 only
    use.loc[use["row_code"] == "c2", "F010"] = 10.0  # i2's PCE: 0.1 x 61 + 10 - 50 < 0
    use.to_parquet(tmp_path / "bea_summary_use_pro_afterredef_2018.parquet")
    make.to_parquet(tmp_path / "bea_summary_make_afterredef_2018.parquet")
    nipa = pd.DataFrame(
        {
            "measure": ["fte_employees"] * 2 + ["full_and_part_time_employees"] * 2,
            "line": [1, 2, 1, 2],
            "nipa_path": ["x", "y"] * 2,
            "io_code": ["i1", "i2"] * 2,
            "year": 2018,
            "value": [1.0, 2.0, 1.5, 2.0],
        }
    )
    nipa.to_parquet(
        tmp_path / "nipa_section6_employment_compensation_by_industry_1998_2018.parquet"
    )
    # the tiny Use table has no F040/F050 columns: imports cannot be removed, and the
    # default (domestic requirements, issue 13 item 5) says so; domestic=False is the
    # total-requirements model this test was written for
    with pytest.raises(InvestmentInputError, match=r"lacks the final-demand columns"):
        IOModel.from_bea(tmp_path, 2018)
    model = IOModel.from_bea(tmp_path, 2018, domestic=False)
    assert model.requirements == "total"
    # persons per FTE = full- and part-time employees (6.4D) / FTE employees (6.5D)
    np.testing.assert_allclose(model.persons_per_fte, [1.5, 1.0])
    np.testing.assert_allclose(model.consumption_shares, [1.0, 0.0])
    cons_i2 = 0.1 * 61 + 1.0 * 10 + 1.0 * -50  # D row i2 . PCE, $ million
    assert len(model.notes) == 1
    assert "industry i2" in model.notes[0] and f"{cons_i2 / 1e3:,.1f} $ billion" in model.notes[0]


# ------------------------------------------------------------------ issue 13, item 5: imports
def test_domestic_shares_bea_definition_and_bounds():
    # imports over domestic supply = output + imports - exports - change in inventories
    dom, notes = domestic_shares(
        [1000.0, 500.0, 100.0, 10.0, 50.0],
        [300.0, 0.0, -20.0, 400.0, 30.0],
        [100.0, 0.0, 0.0, 20.0, 90.0],
        [200.0, 0.0, 0.0, 0.0, 0.0],
        names=["a", "b", "c", "d", "e"],
    )
    # a: 300 / (1000 + 300 - 100 - 200) = 0.3; b: no imports; c: negative imports -> 0;
    # d: 400 / 390 > 1 -> 1 (all imported); e: supply 50 + 30 - 90 < 0 -> 30 / (50 + 30)
    np.testing.assert_allclose(dom, [0.7, 1.0, 1.0, 0.0, 1 - 30 / 80])
    assert len(notes) == 3
    assert notes[0].startswith("import share of product c: imports -20")
    assert "set to 1 (all imported)" in notes[1]
    assert "set to 0.375 (imports over total supply" in notes[2]


def test_from_flows_removes_imports_hand_computed():
    """Miller and Blair's Table 2.3 with 300 of imports of sector 1's product and 100 of
    exports: mu_1 = 300 / (1000 + 300 - 100) = 0.25, so a quarter of every purchase of
    sector 1's product (row 1 of Z and of household consumption) is imported."""
    model = IOModel.from_flows(
        Z,
        X,
        employment=[100.0, 300.0],
        household_consumption=[200.0, 200.0],
        imports=[300.0, 0.0],
        exports=[100.0, 0.0],
        sectors=["s1", "s2"],
    )
    assert model.requirements == "domestic"
    a_dom = np.array([[0.75 * 0.15, 0.75 * 0.25], [0.20, 0.05]])
    np.testing.assert_allclose(model.A, a_dom, atol=1e-15)
    # by hand: det(I - A_d) = (1 - .1125)(1 - .05) - .1875 x .2 = .805625
    det = (1 - 0.1125) * 0.95 - 0.1875 * 0.2
    inv = np.array([[0.95, 0.1875], [0.2, 0.8875]]) / det
    np.testing.assert_allclose(model.L, inv, rtol=1e-12)
    np.testing.assert_allclose(model.L.sum(axis=0), [1.15 / det, 1.075 / det], rtol=1e-12)
    total = IOModel.from_flows(Z, X, employment=[100.0, 300.0], sectors=["s1", "s2"])
    assert total.requirements == "as given"
    assert np.all(model.L <= total.L) and model.L[0, 0] < total.L[0, 0]
    # household consumption: 0.75 x 200 of sector 1's product is domestic
    np.testing.assert_allclose(model.consumption_shares, [150 / 350, 200 / 350])
    # employment multipliers fall (imported inputs create no domestic jobs)
    assert (model.multipliers()["employment_multiplier"]
            < total.multipliers()["employment_multiplier"]).all()


@settings(max_examples=40, deadline=None)
@given(
    z=hnp.arrays(np.float64, (3, 3), elements=st.floats(0, 50)),
    m=hnp.arrays(np.float64, 3, elements=st.floats(0, 80)),
)
def test_domestic_requirements_never_exceed_total(z, m):
    x = z.sum(axis=0) + 100.0  # column sums of A below 1
    dom = IOModel.from_flows(z, x, imports=m)
    tot = IOModel.from_flows(z, x)
    assert np.all(dom.L <= tot.L + 1e-12)
    assert np.all(dom.A <= tot.A + 1e-15)
