"""Clearer refusals (h35): a "did you mean" by a name's beginning or part, and a file that is not evidence named as such."""

from __future__ import annotations

import pytest

from pentas_rules.cli import main
from pentas_rules.errors import suggest

from .conftest import SAMPLES

SAMPLE = str(SAMPLES / "kota-madiun.json")


def test_suggest_by_beginning_or_part_when_no_edit_is_close():
    ids = ["I01", "I02", "I22", "HAK_AKSES", "I23"]
    assert suggest("hak", ids) == "HAK_AKSES"
    assert suggest("AKSES", ids) == "HAK_AKSES"
    assert suggest("hak", ["HAK_AKSES", "HAK_CIPTA"]) is None  # the beginning of several: no one to suggest
    assert suggest("ak", ["HAK_AKSES", "I01"]) is None  # too short to name one
    assert suggest("hak_akses", ids) == "HAK_AKSES"


@pytest.mark.parametrize("lang, hint", [("id", "maksud Anda HAK_AKSES?"), ("en", "did you mean HAK_AKSES?")])
def test_explain_suggests_the_indicator_a_part_of_its_id_names(runner, lang, hint):
    result = runner.invoke(main, ["explain", SAMPLE, "hak", "--lang", lang])
    assert result.exit_code == 2 and hint in result.output
