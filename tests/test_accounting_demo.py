"""`demo load` adds example ledger data generated from the report's figures, always marked."""

import json

from sqlalchemy import func, select

from tracker.accounting.models import AccountingFilter, Deflator, LedgerLine


def test_demo_load_adds_marked_example_ledger_data(elverum, runner, db):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "regnskapslinjer (eksempeldata, prosjekt EKSEMPEL)" in result.output
    projects = set(db.session.scalars(select(LedgerLine.prosjekt).distinct()))
    assert projects == {"EKSEMPEL"}
    assert all(source.startswith("Eksempeldata") for source in db.session.scalars(select(Deflator.source)))
    assert set(db.session.scalars(select(LedgerLine.ansvar).distinct())) <= {f"9{i:03d}" for i in range(1000)}
    mapped = db.session.scalar(select(func.count(AccountingFilter.measure_id.distinct())))
    assert 0 < mapped < 44
    summary = json.loads(runner.invoke(args=["portfolio", "summary", "--json"]).output)
    year = summary["years"][str(summary["as_of"][:4])]
    assert year["accounting_indicated_nok"] > 0 and year["accounting_taken_out_nok"] > 0
    assert 0 < year["accounting_mapped_share"] < 1
    assert summary["note"].startswith("Eksempeldata")
