"""Refused rows: every one reported with row, field, value and reason; none lost; one-line
errors with exit code 2 for unusable arguments or files."""

from __future__ import annotations

from cohort.helpers import axilla, patient, read_errors, read_table, write_csv


def test_bad_rows_are_reported_and_none_is_lost(tmp_path):
    rows = [patient(id="ok1"), patient(id="age", age=99), patient(id="text", size="abc"),
            patient(id="er", er="maybe"), patient(id="m", m="M7"),
            patient(id="micro", nodes=2, micromet_nodes=3), patient(id="blank", age=""),
            patient(id="bool", grade="True"), patient(id="ok2", grade=""),
            patient(id="one", nodes=1, micromet_nodes=1),
            patient(id="half", nodes=0.5, micromet_nodes=0)]
    out = tmp_path / "out.csv"
    done = axilla("cohort", "run", str(write_csv(tmp_path / "in.csv", rows)), str(out),
                  "--keep", "id")
    assert done.returncode == 1, done.stderr
    got = read_table(out)
    assert got["id"].tolist() == ["ok1", "ok2"] and got["row"].tolist() == ["1", "9"]
    errors = read_errors(tmp_path / "out.errors.csv")
    by_row = {int(e["row"]): e for e in errors}
    assert sorted(by_row) == [2, 3, 4, 5, 6, 7, 8, 10, 11]
    assert (by_row[2]["field"], by_row[2]["value"]) == ("age", "99")
    assert "25 to 85" in by_row[2]["reason"]
    assert (by_row[3]["field"], by_row[3]["reason"]) == ("size", "must be a number")
    assert (by_row[4]["field"], by_row[4]["value"]) == ("er", "maybe")
    assert by_row[5]["field"] == "m" and "cM0" in by_row[5]["reason"]
    assert by_row[6]["field"] == "micromet_nodes"
    assert by_row[7]["field"] == "age"
    assert by_row[8]["field"] == "grade"
    for row in (10, 11):  # PREDICT's convention: one micrometastatic node is nodes 0.5
        assert by_row[row]["field"] == "micromet_nodes" and "0.5" in by_row[row]["reason"]
    assert "rows in: 11" in done.stderr and "computed: 2" in done.stderr
    assert "refused: 9" in done.stderr


def test_a_clean_rerun_removes_a_stale_error_file(tmp_path):
    out = tmp_path / "out.csv"
    write_csv(tmp_path / "bad.csv", [patient(age=99)])
    assert axilla("cohort", "run", str(tmp_path / "bad.csv"), str(out)).returncode == 1
    assert (tmp_path / "out.errors.csv").exists()
    write_csv(tmp_path / "good.csv", [patient()])
    assert axilla("cohort", "run", str(tmp_path / "good.csv"), str(out)).returncode == 0
    assert not (tmp_path / "out.errors.csv").exists()


def test_unusable_arguments_are_one_line_with_exit_code_2(tmp_path):
    good = write_csv(tmp_path / "in.csv", [patient()])
    no_age = write_csv(tmp_path / "no_age.csv", [{k: v for k, v in patient().items()
                                                  if k != "age"}])
    cases = [
        (["cohort", "run", str(tmp_path / "missing.csv"), "o.csv"], "no such file"),
        (["cohort", "run", str(no_age), str(tmp_path / "o.csv")], "age"),
        (["cohort", "run", str(good), str(tmp_path / "o.csv"), "--version", "9.9"], "9.9"),
        (["cohort", "run", str(good), str(tmp_path / "o.csv"), "--version", "2.2_h10"],
         "no survival"),
        (["cohort", "run", str(good), str(tmp_path / "o"), "--engine", "dask"], "Parquet"),
        (["cohort", "run", str(good), str(tmp_path / "o.csv"), "--chunk-rows", "0"], "0"),
        (["cohort", "run", str(good), str(tmp_path / "o.csv"), "--keep", "nope"], "nope"),
        (["cohort", "synth", "10", str(tmp_path / "s.csv"), "--hazard-ratio", "-1"], "-1"),
    ]
    for args, words in cases:
        done = axilla(*args)
        assert done.returncode == 2, (args, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and words in lines[0], (args, done.stderr)
