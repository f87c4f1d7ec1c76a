"""Uploaded Excel files are checked before parsing: zip bombs, non-zips, XML entity attacks."""

import io
import zipfile

import openpyxl
import pytest
from defusedxml import EntitiesForbidden

from tracker.uploads import UploadError, check_xlsx, open_workbook, safe_cell_text

CONTENT_TYPES = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def _real_workbook() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Tiltak", "Innsparing"])
    sheet.append(["1.1", 1_234_567])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_openpyxl_parses_xml_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True


def test_a_real_workbook_opens_with_its_values():
    workbook = open_workbook(_real_workbook())
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows == [("Tiltak", "Innsparing"), ("1.1", 1_234_567)]


def test_a_zip_bomb_dressed_as_a_workbook_is_refused_before_parsing():
    bomb = _zip(
        {
            "[Content_Types].xml": CONTENT_TYPES.encode(),
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"\0" * (3 * 1024 * 1024),  # 3 MB of zeros packs to a few KB
        }
    )
    assert len(bomb) < 20_000
    with pytest.raises(UploadError, match="pakkes ut til mer enn tillatt"):
        check_xlsx(bomb, max_uncompressed_bytes=2 * 1024 * 1024)


def test_an_extreme_compression_ratio_is_refused_even_under_the_size_limit():
    bomb = _zip(
        {
            "[Content_Types].xml": CONTENT_TYPES.encode(),
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"\0" * (5 * 1024 * 1024),
        }
    )
    with pytest.raises(UploadError, match="pakkes ut til mer enn tillatt"):
        check_xlsx(bomb)  # 5 MB is under the 50 MB default, but it packs more than 200 : 1


@pytest.mark.parametrize(
    "content",
    [b"Tiltak;Innsparing\n1.1;1000\n", b"%PDF-1.7\n", b"", b"PK\x03\x04 truncated"],
    ids=["csv", "pdf", "empty", "broken-zip"],
)
def test_a_file_that_is_not_a_zip_is_refused(content):
    with pytest.raises(UploadError, match="ikke en Excel-fil|skadet"):
        check_xlsx(content)


def test_a_zip_that_is_not_a_workbook_is_refused():
    with pytest.raises(UploadError, match="ikke en Excel-arbeidsbok"):
        check_xlsx(_zip({"dokument.txt": b"hei"}))


def test_a_file_larger_than_the_limit_is_refused_without_reading_it_all():
    stream = io.BytesIO(b"PK" + b"x" * 5000)
    with pytest.raises(UploadError, match="større enn tillatt"):
        check_xlsx(stream, max_uncompressed_bytes=1000)
    assert stream.tell() == 1001


def test_an_xml_entity_expansion_inside_the_workbook_is_refused():
    """The "billion laughs": defusedxml refuses entity declarations, so it never expands."""
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol2;</workbook>'
    )
    with zipfile.ZipFile(io.BytesIO(_real_workbook())) as original:
        parts = {name: original.read(name) for name in original.namelist()}
    parts["xl/workbook.xml"] = laughs
    with pytest.raises(UploadError, match="kan ikke leses") as refused:
        open_workbook(_zip(parts))
    causes = []
    error = refused.value
    while error is not None:
        causes.append(type(error))
        error = error.__cause__ or error.__context__
    assert EntitiesForbidden in causes


def test_a_workbook_can_be_opened_from_a_path(tmp_path):
    path = tmp_path / "tiltak.xlsx"
    path.write_bytes(_real_workbook())
    assert open_workbook(path).active["B2"].value == 1_234_567


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+47 123", "'+47 123"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTAB", "'\tTAB"),
        ("Vanlig tekst", "Vanlig tekst"),
        (-1_000, -1_000),
        (None, None),
    ],
)
def test_cell_text_can_never_become_a_formula(value, expected):
    assert safe_cell_text(value) == expected
