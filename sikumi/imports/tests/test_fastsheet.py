"""The fast XLSX reader (sikumi/imports/fastsheet.py and its C extension _sheetscan) against
python-calamine, cell by cell: files written by xlsxwriter, hand-written XML for what xlsxwriter
never writes, slice and block boundaries anywhere, malformed input. The strip option against
`(v.strip() or None) if isinstance(v, str) else v` applied to the output without it."""

from __future__ import annotations

import contextlib
import datetime
import html
import random
import zipfile
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from sikumi.imports import fastsheet
from sikumi.imports.fastsheet import FastSheet, Unsupported, number_format_kind

pytestmark = pytest.mark.skipif(
    not fastsheet.available(),
    reason="the _sheetscan C extension is not built (run scripts/build-ext.sh)",
)

BENCH_FILE = Path(__file__).resolve().parents[3] / "bench/data/enterprises-100000-2026.xlsx"

# -- helpers


def calamine_grid(path: Path) -> list[list[Any]]:
    """calamine's values from A1 (row i is Excel row i + 1)."""
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    return sheet.to_python(skip_empty_area=False)


def same(ours: Any, theirs: Any) -> bool:
    """Equal values of the same type; a missing cell (None) stands for calamine's ""."""
    if ours is None:
        ours = ""
    if isinstance(ours, float) and isinstance(theirs, float) and ours != ours:
        return theirs != theirs  # NaN
    return type(ours) is type(theirs) and ours == theirs


def assert_like_calamine(path: Path, *, rows: int = 5000, block_size: int | None = None) -> int:
    """Reads `path` in slices and compares every cell with calamine; returns the row count."""
    grid = calamine_grid(path)
    kwargs = {"block_size": block_size} if block_size else {}
    seen: set[int] = set()
    last = 0
    with FastSheet(path, **kwargs) as sheet:
        for numbers, columns in sheet.slices(rows):
            assert 0 < len(numbers) <= rows
            assert all(len(column) == len(numbers) for column in columns)
            for i, number in enumerate(numbers):
                assert number > last, "row numbers ascend"
                last = number
                seen.add(number)
                expected = grid[number - 1] if number <= len(grid) else []
                cells = [column[i] for column in columns]
                width = max(len(cells), len(expected))
                cells += [None] * (width - len(cells))
                expected = expected + [""] * (width - len(expected))
                for col, (ours, theirs) in enumerate(zip(cells, expected, strict=True)):
                    assert same(ours, theirs), (number, col, ours, theirs)
        # rows() gives the same content.
        by_rows = dict(sheet.rows())
    assert set(by_rows) == seen
    for index, expected in enumerate(grid):
        if index + 1 not in seen:
            assert all(value == "" for value in expected), f"row {index + 1} missing"
    assert_strip_option(path, rows=rows, block_size=block_size)
    return len(seen)


def strip_like_importer(value: Any) -> Any:
    """What the importer did with every value before the strip option."""
    return (value.strip() or None) if isinstance(value, str) else value


def identical(ours: Any, theirs: Any) -> bool:
    """Equal values of the same type (None only for None, NaN for NaN)."""
    if type(ours) is not type(theirs):
        return False
    return ours == theirs or (isinstance(ours, float) and ours != ours and theirs != theirs)


def assert_strip_option(path: Path, *, rows: int = 5000, block_size: int | None = None) -> None:
    """slices(strip=True) and rows(strip=True) give the output without strip, every value passed
    through strip_like_importer; the shared strings of the sheet are left as they were."""
    kwargs = {"block_size": block_size} if block_size else {}
    with FastSheet(path, **kwargs) as sheet:
        strings = list(sheet._strings)
        plain = list(sheet.slices(rows))
        stripped = list(sheet.slices(rows, strip=True))
        plain_rows = list(sheet.rows())
        stripped_rows = list(sheet.rows(strip=True))
        assert sheet._strings == strings
    assert len(stripped) == len(plain)
    for (numbers, columns), (got_numbers, got_columns) in zip(plain, stripped, strict=True):
        assert got_numbers == numbers
        assert len(got_columns) == len(columns)
        expected_columns = [[strip_like_importer(v) for v in column] for column in columns]
        for col, (expected, got) in enumerate(zip(expected_columns, got_columns, strict=True)):
            assert len(got) == len(expected)
            for number, theirs, ours in zip(numbers, expected, got, strict=True):
                assert identical(ours, theirs), (number, col, ours, theirs)
    assert [number for number, _ in stripped_rows] == [number for number, _ in plain_rows]
    for (number, cells), (_, plain_cells) in zip(stripped_rows, plain_rows, strict=True):
        expected = [strip_like_importer(v) for v in plain_cells]
        assert all(identical(a, b) for a, b in zip(cells, expected, strict=True)), number


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '{pr}<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# Style 1 is a date (built-in 14), 2 a duration, 3 a datetime, 4 a plain number.
STYLES = (
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="[h]:mm:ss"/>'
    '<numFmt numFmtId="165" formatCode="dd/mm/yyyy\\ hh:mm"/></numFmts>'
    '<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
    '<xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="4"/></cellXfs>'
)


def write_xlsx(
    path: Path,
    sheet_data: str,
    *,
    strings: str | None = None,
    styles: str | None = STYLES,
    workbook_pr: str = "",
    sheet_xml: str | None = None,
) -> Path:
    """A minimal workbook with our own XML: `sheet_data` is the content of <sheetData>."""
    if sheet_xml is None:
        sheet_xml = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{MAIN_NS}"><dimension ref="A1:C3"/>'
            f"<sheetData>{sheet_data}</sheetData></worksheet>"
        )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK.format(pr=workbook_pr))
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if strings is not None:
            archive.writestr(
                "xl/sharedStrings.xml",
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<sst xmlns="{MAIN_NS}">{strings}</sst>',
            )
        if styles is not None:
            archive.writestr(
                "xl/styles.xml",
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<styleSheet xmlns="{MAIN_NS}">{styles}</styleSheet>',
            )
    return path


def read_rows(path: Path, *, strip: bool = False, **kwargs: Any) -> list[tuple[int, list[Any]]]:
    with FastSheet(path, **kwargs) as sheet:
        return list(sheet.rows(strip=strip))


# -- files written by xlsxwriter

TEXTS = [
    "plain",
    "Tom & Jerry <b> \"quoted\" 'apos'",
    "éü çà ñ",
    "emoji 😀🇮🇩",
    "  padded  ",
    "line\nbreak",
    "carriage\r\nreturn",
    "control\x01char",
    "_x0041_ literal",
    "snake_case",
    "",
    "Jl. Raya Krukut No. 92",
    "\u00a0nbsp\u3000",
    "\t tab and newline \n",
    " \u3000\u00a0\t",
]


def write_sample(path: Path, *, constant_memory: bool, rows: int = 120) -> Path:
    """Every kind of value xlsxwriter writes, with empty cells in the middle and at row ends,
    sparse rows and rows left out."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": constant_memory})
    sheet = workbook.add_worksheet("Data")
    dmy = workbook.add_format({"num_format": "dd/mm/yyyy"})
    builtin14 = workbook.add_format({"num_format": 14})
    stamp = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    clock = workbook.add_format({"num_format": "hh:mm"})
    elapsed = workbook.add_format({"num_format": "[h]:mm:ss"})
    money = workbook.add_format({"num_format": '"Rp"#,##0.00'})
    bold = workbook.add_format({"bold": True})
    headers = ["Nama", "Angka", "Tanggal", "Waktu", "Benar", "Rumus", "Catatan"]
    for col, header in enumerate(headers):
        sheet.write_string(0, col, header, bold)
    rng = random.Random(7)
    for row in range(1, rows):
        if row % 17 == 0:
            continue  # a row left out of the XML
        if row % 13 == 0:
            sheet.write_string(row, 9, "sparse far right")  # a sparse row
            continue
        sheet.write_string(row, 0, TEXTS[row % len(TEXTS)] + ("" if row % 3 else f" {row}"))
        number = [
            row,
            -row * 1.5,
            0.1 + row / 7,
            12345678901234567890.0,
            -0.0,
            1e-7 * row,
            3276021703693659.0,
            2025.0,
        ][row % 8]
        sheet.write_number(row, 1, number, money if row % 5 == 0 else None)
        day = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(30000))
        sheet.write_datetime(row, 2, day, [dmy, builtin14][row % 2])
        moment = datetime.datetime(2024, 5, 17, 8, 30) + datetime.timedelta(seconds=row * 3671)
        if row % 4 == 0:
            sheet.write_datetime(row, 3, moment, stamp)
        elif row % 4 == 1:
            sheet.write_datetime(row, 3, moment.time(), clock)
        elif row % 4 == 2:
            sheet.write_number(row, 3, row / 9, elapsed)
        # row % 4 == 3: an empty cell in the middle of the row
        sheet.write_boolean(row, 4, row % 2 == 0)
        if row % 6 == 0:
            sheet.write_formula(row, 5, '=A2&"x"', None, f"hasil {row} & <ok>")
        elif row % 6 == 1:
            sheet.write_formula(row, 5, "=1+1", None, row)
        elif row % 6 == 2:
            sheet.write_formula(row, 5, "=1/0", None, "#DIV/0!")
        else:
            sheet.write_blank(row, 5, None, bold)  # a formatted cell with no value
        if row % 2:
            sheet.write_string(row, 6, "catatan")  # else: the row ends early
    workbook.close()
    return path


@pytest.mark.parametrize("constant_memory", [True, False], ids=["inline", "shared"])
def test_xlsxwriter_file_equals_calamine(tmp_path: Path, constant_memory: bool) -> None:
    path = write_sample(tmp_path / "sample.xlsx", constant_memory=constant_memory)
    assert assert_like_calamine(path) > 100


@pytest.mark.parametrize("constant_memory", [True, False], ids=["inline", "shared"])
def test_slice_and_block_boundaries_anywhere(tmp_path: Path, constant_memory: bool) -> None:
    path = write_sample(tmp_path / "sample.xlsx", constant_memory=constant_memory, rows=60)
    for rows, block_size in [(1, 1), (2, 7), (3, 64), (7, 333), (50, 1000), (5000, 4093)]:
        assert_like_calamine(path, rows=rows, block_size=block_size)


def test_slices_shape(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "shape.xlsx",
        '<row r="2"><c r="B2"><v>1</v></c></row>'
        '<row r="3"><c r="A3" t="inlineStr"><is><t>a</t></is></c><c r="D3"><v>2</v></c></row>'
        '<row r="9"><c r="C9" t="b"><v>1</v></c></row>',
    )
    with FastSheet(path) as sheet:
        slices = list(sheet.slices(rows=2))
    assert slices == [
        ([2, 3], [[None, "a"], [1.0, None], [None, None], [None, 2.0]]),
        ([9], [[None], [None], [True]]),
    ]
    assert read_rows(path)[0] == (2, [None, 1.0, None, None])


# -- hand-written XML: what xlsxwriter does not write

SHARED = (
    "<si><t>plain</t></si>"
    '<si><r><t>bold </t></r><r><rPr><b/><sz val="11"/></rPr><t xml:space="preserve">run</t>'
    '</r><rPh sb="0" eb="1"><t>PHONETIC</t></rPh><phoneticPr fontId="1"/></si>'
    "<si><t>lead</t><r><t>+run</t></r></si>"
    "<si><t/></si>"
    '<si><t xml:space="preserve"> keep &amp; spaces\r\n</t></si>'
    "<si><t>  trimmed  \t</t></si>"
    "<si>\n  <t>x_x0041_&#95;x0042_ _x0100_ _X0041_</t>\n</si>"
    "<si><t>&lt;&gt;&quot;&apos;&#233;&#xE9;&#x1F600;</t></si>"
    "<si/>"
)


def test_rich_text_phonetic_and_entities(tmp_path: Path) -> None:
    cells = "".join(f'<c r="{chr(65 + i)}1" t="s"><v>{i}</v></c>' for i in range(9))
    inline = (
        '<c r="A2" t="inlineStr"><is><r><t>in</t></r><r><t xml:space="preserve"> line</t></r>'
        '<rPh sb="0" eb="1"><t>ふりがな</t></rPh></is></c>'
        '<c r="B2" t="inlineStr"><is><t>  a &amp; b  </t></is></c>'
        '<c r="C2" t="inlineStr"><is/></c>'
        '<c r="D2" t="str"><f>A1</f><v> str\r\nresult _x0041_ </v></c>'
        '<c r="E2" t="inlineStr"><is><t>tab&#9;</t></is></c>'
    )
    path = write_xlsx(
        tmp_path / "rich.xlsx",
        f'<row r="1">{cells}</row><row r="2">{inline}</row>',
        strings=SHARED,
    )
    assert assert_like_calamine(path) == 2
    rows = dict(read_rows(path))
    assert rows[1][:4] == ["plain", "boldrun", "lead+run", ""]
    assert rows[2][:5] == ["in line", "a & b", "", " str\nresult A ", "tab"]


# Shared strings for the strip option: (XML of the <si>, what strip gives).
STRIP_SHARED = [
    ("<t>clean</t>", "clean"),
    ('<t xml:space="preserve">  lead and trail \t</t>', "lead and trail"),
    ("<t>\u00a0nbsp\u00a0</t>", "nbsp"),
    ("<t>&#160;&#x3000;</t>", None),
    ("<t/>", None),
    (
        '<r><t xml:space="preserve"> </t></r>'
        '<r><rPr><b/></rPr><t xml:space="preserve">run </t></r>',
        "run",
    ),
    ('<r><t xml:space="preserve">\u3000</t></r><r><t xml:space="preserve">\n</t></r>', None),
    ("<t>\u3000ideographic\u3000</t>", "ideographic"),
    ("", None),
]
# Inline, formula, number, error and ISO cells: (XML of the <c> without its r, what strip gives).
STRIP_CELLS = [
    ('t="inlineStr"><is><t>plain</t></is>', "plain"),
    ('t="inlineStr"><is><t>\u00a0raw nbsp\u00a0</t></is>', "raw nbsp"),
    ('t="inlineStr"><is><t>&#160;entity nbsp&#xA0;</t></is>', "entity nbsp"),
    ('t="inlineStr"><is><t>\u3000ideographic \u3000</t></is>', "ideographic"),
    ('t="inlineStr"><is><t>   </t></is>', None),
    ('t="inlineStr"><is><t></t></is>', None),
    ('t="inlineStr"><is/>', None),
    ('t="inlineStr"><is><t xml:space="preserve">  \t padded \n </t></is>', "padded"),
    ('t="inlineStr"><is><t xml:space="preserve">\t</t></is>', None),
    ('t="inlineStr"><is><t xml:space="preserve"> a \u00a0 b </t></is>', "a \u00a0 b"),
    ('t="inlineStr"><is><t>_x000B_vt_x000C_</t></is>', "vt"),
    ('t="inlineStr"><is><t>_x001C_separators_x001F_</t></is>', "separators"),
    ('t="inlineStr"><is><t>&#133;nel&#x2028;</t></is>', "nel"),
    ('t="inlineStr"><is><t>&#x200B;not space&#xFEFF;</t></is>', "\u200bnot space\ufeff"),
    ('t="inlineStr"><is><t>line\r\nend\r\n</t></is>', "line\nend"),
    (
        't="inlineStr"><is><r><t xml:space="preserve"> rich </t></r>'
        '<r><t xml:space="preserve">runs\u3000</t></r></is>',
        "rich runs",
    ),
    ('t="inlineStr"><is><r><t xml:space="preserve"> </t></r><r><t>\u00a0</t></r></is>', None),
    ('t="str"><f>A1</f><v> result </v>', "result"),
    ('t="str"><v>\t</v>', None),
    ('t="str"><v>  \u00e9  </v>', "\u00e9"),
    ('t="str"><v>\u00a0x</v>', "x"),
    ('t="str"><v>&#32;amp &amp; </v>', "amp &"),
    (f't="str"><v>  {"long " * 12}  </v>', ("long " * 12).strip()),
    ('t="str"><v></v>', None),
    ("><v> 5</v>", "5"),
    ("><v>not a number </v>", "not a number"),
    ("><v>42</v>", 42.0),
    ('t="b"><v>1</v>', True),
    ('t="e"><v>#N/A</v>', None),
    ("/>", None),
    ("><v/>", None),
    ('t="d"><v> garbage </v>', "garbage"),
    ('t="d"><v></v>', None),
    ('t="d"><v>2024-01-02</v>', datetime.date(2024, 1, 2)),
]


def test_strip_option(tmp_path: Path) -> None:
    """strip=True gives every text as `v.strip() or None`: ASCII and Unicode white space (NBSP,
    U+3000, U+0085, U+2028), blank and empty texts, shared and inline strings, rich-text runs,
    formula results; other values unchanged. Rows repeat, for the scanner's cache of texts."""
    shared_cells = "".join(
        f'<c r="{column_name(i)}{{row}}" t="s"><v>{i}</v></c>' for i in range(len(STRIP_SHARED))
    )
    other_cells = "".join(
        f'<c r="{column_name(len(STRIP_SHARED) + i)}{{row}}" {xml}'
        + ("" if xml == "/>" else "</c>")
        for i, (xml, _) in enumerate(STRIP_CELLS)
    )
    template = f'<row r="{{row}}">{shared_cells}{other_cells}</row>'
    path = write_xlsx(
        tmp_path / "strip.xlsx",
        "".join(template.format(row=row) for row in range(1, 41)),
        strings="".join(f"<si>{xml}</si>" if xml else "<si/>" for xml, _ in STRIP_SHARED),
    )
    expected = [value for _, value in STRIP_SHARED] + [value for _, value in STRIP_CELLS]
    for rows, block_size in [(5000, None), (3, 64), (7, 13)]:
        assert_like_calamine(path, rows=rows, block_size=block_size)
        read = read_rows(path, strip=True, **({"block_size": block_size} if block_size else {}))
        assert [number for number, _ in read] == list(range(1, 41))
        for number, cells in read:
            assert len(cells) == len(expected)
            for col, (ours, theirs) in enumerate(zip(cells, expected, strict=True)):
                assert identical(ours, theirs), (number, col, ours, theirs)


def test_strip_option_raw_scanner() -> None:
    """The Scanner's strip argument: its list of shared strings is left as it was."""
    from sikumi.imports import _sheetscan

    strings = [" a ", "b", "\u3000", ""]
    scanner = _sheetscan.Scanner(strings, b"", False, str, 10, strip=True)
    cells = "".join(f'<c r="{column_name(i)}1" t="s"><v>{i}</v></c>' for i in range(4))
    data = f'<row r="1">{cells}<c r="E1"/></row></sheetData>'.encode()
    assert scanner.feed(data, 0) == len(data)
    assert scanner.take() == ([1], [["a"], ["b"], [None], [None], [None]])
    assert strings == [" a ", "b", "\u3000", ""]
    unchanged = ["a", "b"]
    scanner = _sheetscan.Scanner(unchanged, b"", False, str, 10, True)
    data = b'<row r="1"><c r="A1" t="s"><v>1</v></c></row>'
    scanner.feed(data, 0)
    assert scanner.take() == ([1], [["b"]])


def test_cell_and_row_forms(tmp_path: Path) -> None:
    data = (
        # self-closing cells and rows, attributes in any order and extra attributes
        '<row r="1" spans="1:5" ht="15" customHeight="1"><c r="A1" s="0"/>'
        '<c t="n" s="4" r="B1" cm="1"><v>2.5</v></c><c r="C1" t="s" s="0"><v>0</v></c>'
        "<c r='D1' t='inlineStr'><is><t>single quotes</t></is></c></row>"
        '<row r="2"/>'
        # rows and cells without r (<row/> and <c/> count as empty ones), lowercase references
        '<row><c><v>1</v></c><c/><c r="e3"><v>5</v></c><c><v>6</v></c></row>'
        '<row r="5"></row><row><c r="A6"><v>7</v></c></row>'
        # the last child element gives the value, as in calamine
        '<row r="8"><c r="A8"><v>1</v><f>1</f></c><c r="B8" t="inlineStr"><v>5</v>'
        '<is><t>x</t></is></c><c r="C8" t="inlineStr"><is><t>y</t></is><v>5</v></c>'
        '<c r="D8" t="s"><is><t>is wins</t></is></c><c r="E8"><f t="shared" si="0"/><v>3</v></c>'
        '<c r="F8" t="str"><f>"a"</f><v></v></c><c r="G8"><v/></c>'
        '<c r="H8"><v>1</v><f/></c><c r="I8"><v>2</v><v/></c><c r="J8"><v>3</v><is/></c></row>'
        # a repeated cell: the later one
        '<row r="9"><c r="A9"><v>1</v></c><c r="A9"><v>2</v></c></row>'
        # white space between elements
        '\n  <row r="10">\n    <c r="B10">\n      <v>10</v>\n    </c>\n  </row>\n'
    )
    path = write_xlsx(tmp_path / "forms.xlsx", data, strings="<si><t>shared</t></si>")
    assert_like_calamine(path)
    rows = dict(read_rows(path))
    assert sorted(rows) == [1, 3, 6, 8, 9, 10]
    assert rows[3][:6] == [1.0, "", None, None, 5.0, 6.0]
    assert rows[8][:10] == ["", "x", "", "is wins", 3.0, "", "", "", "", ""]
    assert rows[9][0] == 2.0


def test_values_of_every_type(tmp_path: Path) -> None:
    numbers = [
        "0", "-0", "+5", ".5", "5.", "1e3", "1E+05", "-2.5e-3", "123456789012345678",
        "0.1", "0.30000000000000004", "1.0000000000000002", "9007199254740993",
        "1.7976931348623157e308", "1e400", "4.9e-324", "inf", "-Infinity", "007",
        "3.14159265358979323846264338327950288",
    ]  # fmt: skip
    number_cells = "".join(
        f'<c r="{column_name(i)}1"><v>{value}</v></c>' for i, value in enumerate(numbers)
    )
    others = (
        '<c r="A2" t="b"><v>1</v></c><c r="B2" t="b"><v>0</v></c>'
        '<c r="C2" t="b"><v> TRUE </v></c><c r="D2" t="b"><v>false</v></c>'
        '<c r="E2" t="b"><v></v></c>'
        '<c r="F2" t="e"><v>#N/A</v></c><c r="G2" t="e"><v>#DIV/0!</v></c>'
        '<c r="H2" t="e"><v>#VALUE!</v></c><c r="I2" t="e"><v>#REF!</v></c>'
        '<c r="J2" t="e"><v>#NAME?</v></c><c r="K2" t="e"><v>#NUM!</v></c>'
        '<c r="L2" t="e"><v>#NULL!</v></c>'
        '<c r="M2"><v>not a number</v></c><c r="N2"><v> 5</v></c><c r="O2"><v>0x10</v></c>'
        '<c r="P2" t="n"><v></v></c><c r="Q2" t="s"><v></v></c>'
        '<c r="R2" t="s"><v>x</v></c><c r="S2" t="s"><v> 1 </v></c>'
    )
    path = write_xlsx(
        tmp_path / "values.xlsx",
        f'<row r="1">{number_cells}</row><row r="2">{others}</row>',
        strings="<si><t>zero</t></si><si><t>one</t></si>",
    )
    assert_like_calamine(path)
    rows = dict(read_rows(path))
    assert rows[2][:5] == [True, False, True, False, ""]
    assert rows[2][5:12] == [""] * 7
    assert rows[2][12:15] == ["not a number", " 5", "0x10"]
    assert rows[2][17:19] == ["zero", "zero"]  # an index that is not a number reads as 0


def column_name(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


DATE_VALUES = [
    "1", "1.5", "0", "0.25", "0.999999", "-0.5", "-1", "-700000", "59", "59.99999999999",
    "60", "60.5", "61", "25569", "45000", "45000.5", "45000.99999999", "43000.123456789",
    "44484.7916666667", "0.18737500000000001", "2958465", "2958465.99999", "2958466", "1e10",
    "1e20", "1e300", "inf", "nan", "-96000000", "-96439724", "-96439724.00000001", "-1e8",
]  # fmt: skip


@pytest.mark.parametrize("workbook_pr", ["", '<workbookPr date1904="1"/>'], ids=["1900", "1904"])
def test_dates_times_and_durations(tmp_path: Path, workbook_pr: str) -> None:
    """Numbers with a date, datetime or duration style, as python-calamine converts them."""
    rows = []
    for style in (1, 2, 3, 4):
        values = DATE_VALUES
        if style == 2:  # durations of a billion days or more: calamine fails (Unsupported)
            values = [*(v for v in DATE_VALUES[:24] if v[:2] != "1e"), "999999999.9"]
        cells = "".join(
            f'<c r="{column_name(i)}{style}" s="{style}"><v>{value}</v></c>'
            for i, value in enumerate(values)
        )
        rows.append(f'<row r="{style}">{cells}</row>')
    # Styles that are not plain numbers read as style 0, out of range as no format.
    rows.append(
        '<row r="5"><c r="A5" s="x"><v>45000</v></c><c r="B5" s="01"><v>45000</v></c>'
        '<c r="C5" s="99"><v>45000</v></c><c r="D5" s="99999999999"><v>45000</v></c></row>'
    )
    styles = STYLES.replace('<xf numFmtId="0"/>', '<xf numFmtId="14"/>')
    path = write_xlsx(
        tmp_path / "dates.xlsx", "".join(rows), styles=styles, workbook_pr=workbook_pr
    )
    assert_like_calamine(path)
    read = dict(read_rows(path))
    if not workbook_pr:
        assert read[1][14] == datetime.date(2023, 3, 15)
        assert read[1][15] == datetime.datetime(2023, 3, 15, 12, 0)
        assert read[1][3] == datetime.time(6, 0)
        assert read[2][1] == datetime.timedelta(days=1, hours=12)


def test_iso_dates(tmp_path: Path) -> None:
    values = [
        "2024-01-02", "2024-01-02T03:04:05", "2024-01-02T03:04:05.123456789", "03:04:05",
        "03:04", "03:04:05.5", " 2024-01-02 ", "2024-02-30", "24:00:00", "garbage", "",
        "a&amp;b",
    ]  # fmt: skip
    cells = "".join(
        f'<c r="{column_name(i)}1" t="d"><v>{value}</v></c>' for i, value in enumerate(values)
    )
    path = write_xlsx(tmp_path / "iso.xlsx", f'<row r="1">{cells}</row>')
    assert_like_calamine(path)
    row = read_rows(path)[0][1]
    assert row[0] == datetime.date(2024, 1, 2)
    assert row[2] == datetime.datetime(2024, 1, 2, 3, 4, 5, 123456)


NUMBER_FORMATS = [
    "General", "0", "0.00", "#,##0", '"Rp"#,##0', "@", "dd/mm/yyyy", "d-mmm-yy", "mmm-yy",
    "h:mm AM/PM", "hh:mm:ss", "yyyy-mm-dd hh:mm", "[h]:mm:ss", "[mm]:ss", "[s].000", "[h]",
    "mm:ss.0", "[$-421]dd mmmm yyyy;@", "[$-404]e\"x\"m", "#,##0*y", "0\"x\"*d", "*-yyyy",
    "\\Y000000", "0_ ;[Red]\\-0\\ ", "ha/p\\\\m", "am/pm", "General&d", "0;dd", '"Y: "0.00"m"',
    "[>=100][Magenta][s].00", "[Blue]\\+[h]:mm;[Red]\\-[h]:mm", "[Red]0", "[=1]d", "D", "S",
    "A/P", "b", "e", "g", "[hh]:mm", "[h]]", "_d0", "\"d\"0", "\"x\"dd", "0 <d>", "a&b", "'m'",
]  # fmt: skip


def test_number_format_kinds_match_calamine(tmp_path: Path) -> None:
    """calamine's custom-format rule (ported in number_format_kind), cell by cell."""
    fmts = "".join(
        f'<numFmt numFmtId="{200 + i}" formatCode="{html.escape(code)}"/>'
        for i, code in enumerate(NUMBER_FORMATS)
    )
    xfs = "".join(f'<xf numFmtId="{200 + i}"/>' for i in range(len(NUMBER_FORMATS)))
    builtin = "".join(f'<xf numFmtId="{i}"/>' for i in [*range(100), "014", " 14"])
    styles = f"<numFmts>{fmts}</numFmts><cellXfs>{xfs}{builtin}</cellXfs>"
    count = len(NUMBER_FORMATS) + 102
    cells = "".join(f'<c r="{column_name(i)}1" s="{i}"><v>45000.5</v></c>' for i in range(count))
    path = write_xlsx(tmp_path / "formats.xlsx", f'<row r="1">{cells}</row>', styles=styles)
    assert_like_calamine(path)
    assert number_format_kind("dd/mm/yyyy") == 1
    assert number_format_kind("[h]:mm:ss") == 2
    assert number_format_kind('"Rp"#,##0') == 0


def test_empty_sheets(tmp_path: Path) -> None:
    empty = write_xlsx(
        tmp_path / "empty.xlsx",
        "",
        sheet_xml=f'<?xml version="1.0"?><worksheet xmlns="{MAIN_NS}"><sheetData/></worksheet>',
    )
    assert read_rows(empty) == []
    blank = write_xlsx(tmp_path / "blank.xlsx", "")
    assert read_rows(blank) == []


# -- what the scanner refuses (the caller then reads with calamine)


def prefixed_sheet() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<x:worksheet xmlns:x="{MAIN_NS}"><x:sheetData><x:row r="1">'
        '<x:c r="A1"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>'
    )


@pytest.mark.parametrize(
    "sheet_data",
    [
        '<row r="3"><c r="A3"><v>1</v></c></row><row r="1"><c r="A1"><v>2</v></c></row>',
        '<row r="1"><c r="A2"><v>1</v></c></row>',
        '<row r="1"><c r="A1" t="x"><v>1</v></c></row>',
        '<row r="1"><c r="A1" t="e"><v>#SPILL!</v></c></row>',
        '<row r="1"><c r="A1" t="b"><v>2</v></c></row>',
        '<row r="1"><c r="A1" t="n"><v>abc</v></c></row>',
        '<row r="1"><c r="A1" t="s"><v>5</v></c></row>',
        '<row r="1"><!-- note --><c r="A1"><v>1</v></c></row>',
        '<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[a<b]]></t></is></c></row>',
        '<row r="1"><c r="A1" t="inlineStr"><is><t>a&nbsp;b</t></is></c></row>',
        '<row r="1"><c r="A1" t="inlineStr"><is><t>a&#0;b</t></is></c></row>',
        '<row r="1"><c r="A1"><extLst/><v>1</v></c></row>',
        '<row r="1"><c r="XFE1"><v>1</v></c></row>',
        '<row r="1"><c r="A1" s="2"><v>1e10</v></c></row>',
        '<row r="1"><c r="A1" s="1"><v>-1e20</v></c></row>',
        '<row r="1"><c r="A1" t="d"><v>2024-01-02T03:04</v></c></row>',
        '<row r="1"><c r="A1"><v>1</v></c>',
        '<row r="1"><c r="A1"><v>1</v></c></row><x:row r="2"/>',
    ],
)
def test_unsupported_forms(tmp_path: Path, sheet_data: str) -> None:
    path = write_xlsx(tmp_path / "odd.xlsx", sheet_data, strings="<si><t>a</t></si>")
    with pytest.raises(Unsupported):
        read_rows(path)


def test_namespace_prefixes_are_unsupported(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "prefixed.xlsx", "", sheet_xml=prefixed_sheet())
    assert calamine_grid(path) == [[1.0]]  # calamine reads it: the caller falls back to it
    with pytest.raises(Unsupported):
        read_rows(path)
    strings = write_xlsx(
        tmp_path / "prefixed-sst.xlsx", '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    )
    with zipfile.ZipFile(strings, "a") as archive:
        archive.writestr(
            "xl/sharedStrings.xml",
            f'<?xml version="1.0"?><x:sst xmlns:x="{MAIN_NS}"><x:si><x:t>a</x:t></x:si></x:sst>',
        )
    with pytest.raises(Unsupported):
        FastSheet(strings)


def test_not_an_xlsx_file(tmp_path: Path) -> None:
    path = tmp_path / "text.xlsx"
    path.write_text("not a zip")
    with pytest.raises(Unsupported):
        FastSheet(path)
    truncated = write_sample(tmp_path / "sample.xlsx", constant_memory=True)
    data = truncated.read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    with pytest.raises(Unsupported):
        read_rows(tmp_path / "cut.xlsx")


def test_damaged_member_raises_unsupported(tmp_path: Path) -> None:
    """A sheet whose CRC does not match (zipfile finds out at its end): Unsupported while
    iterating, not zipfile's error."""
    path = write_sample(tmp_path / "sample.xlsx", constant_memory=True, rows=400)
    data = bytearray(path.read_bytes())
    # The CRC-32 of the sheet's central directory record (16 bytes after its signature).
    record = data.index(b"PK\x01\x02", data.index(b"xl/worksheets/sheet1.xml") + 1)
    while data[record + 46 : record + 46 + 24] != b"xl/worksheets/sheet1.xml":
        record = data.index(b"PK\x01\x02", record + 4)
    data[record + 16] ^= 0xFF
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(bytes(data))
    with pytest.raises(Unsupported) as caught:
        read_rows(damaged, block_size=1024)
    assert isinstance(caught.value.__cause__, zipfile.BadZipFile)


def test_missing_extension_raises_unsupported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastsheet, "_sheetscan", None)
    assert not fastsheet.available()
    with pytest.raises(Unsupported):
        FastSheet("anything.xlsx")


def test_malformed_xml_never_crashes(tmp_path: Path) -> None:
    """Random truncations and byte changes of a sheet: values or Unsupported, nothing else."""
    source = write_sample(tmp_path / "sample.xlsx", constant_memory=True, rows=12)
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    start = sheet.index(b"<sheetData>")
    rng = random.Random(2026)
    alphabet = b"<>/\"'=&;#x_ rcvtis0123456789AZ\r\n\xc3\xa9\xff"
    for attempt in range(300):
        data = bytearray(sheet)
        if attempt % 3 == 0:
            data = data[: rng.randrange(start, len(data))]
        for _ in range(rng.randrange(1, 4)):
            data[rng.randrange(start, len(data))] = rng.choice(alphabet)
        path = tmp_path / "mutated.xlsx"
        with zipfile.ZipFile(path, "w") as archive:
            for name, content in parts.items():
                archive.writestr(name, bytes(data) if name.endswith("sheet1.xml") else content)
        with contextlib.suppress(Unsupported):
            read_rows(path, block_size=rng.choice([16, 256, 4096]), strip=attempt % 2 == 1)


def test_shared_strings_across_blocks(tmp_path: Path) -> None:
    """Many shared strings read in tiny blocks (a string cut anywhere) keep their order."""
    workbook = xlsxwriter.Workbook(str(tmp_path / "many.xlsx"))
    sheet = workbook.add_worksheet()
    for row in range(300):
        sheet.write_string(row, 0, f"teks ke-{row} é{'x' * (row % 11)}")
        sheet.write_string(row, 1, "sama")
    workbook.close()
    for block_size in (5, 97, 1 << 20):
        assert_like_calamine(tmp_path / "many.xlsx", rows=41, block_size=block_size)


def test_raw_scanner_api() -> None:
    """The extension on its own: a row cut by the end of the buffer is parsed from the next
    call; take() resets the slice."""
    from sikumi.imports import _sheetscan

    scanner = _sheetscan.Scanner([], b"", False, str, 10)
    data = b'<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="B2"><v>2'
    pos = scanner.feed(data, 0)
    assert data[pos:].startswith(b'<row r="2">')
    assert (scanner.count, scanner.done) == (1, False)
    data = data[pos:] + b"</v></c></row></sheetData>"
    assert scanner.feed(data, 0) == len(data)
    assert scanner.done
    assert scanner.take() == ([1, 2], [[1.0, None], [None, 2.0]])
    assert scanner.take() == ([], [])
    with pytest.raises(IndexError):
        scanner.feed(b"", 5)
    out: list[str] = []
    chunk = b'<?xml version="1.0"?><sst><si><t>a</t></si><si><t>b'
    pos = _sheetscan.shared_strings(chunk, 0, out)
    assert out == ["a"]
    assert chunk[pos:] == b"<si><t>b"


# -- the benchmark file, when generated


@pytest.mark.skipif(
    not BENCH_FILE.exists(),
    reason=f"{BENCH_FILE.name} absent (bench/import_enterprises.py --rows 100000 generates it)",
)
def test_benchmark_file_first_and_last_rows() -> None:
    grid = calamine_grid(BENCH_FILE)
    first: list[tuple[int, list[Any]]] = []
    last: list[tuple[int, list[Any]]] = []
    with FastSheet(BENCH_FILE) as sheet:
        for number, cells in sheet.rows():
            if len(first) < 2000:
                first.append((number, cells))
            last.append((number, cells))
            if len(last) > 2000:
                del last[:1000]
    assert len(first) == 2000
    for number, cells in first + last[-2000:]:
        expected = grid[number - 1]
        assert len(cells) <= len(expected)
        padded = cells + [None] * (len(expected) - len(cells))
        assert all(same(ours, theirs) for ours, theirs in zip(padded, expected, strict=True)), (
            number
        )
    assert last[-1][0] == len(grid)


@pytest.mark.skipif(not BENCH_FILE.exists(), reason=f"{BENCH_FILE.name} absent")
def test_benchmark_file_strip_option() -> None:
    """slices(strip=True) of the whole benchmark file against slices() stripped in Python."""
    with FastSheet(BENCH_FILE) as sheet:
        for (numbers, columns), (got_numbers, got_columns) in zip(
            sheet.slices(), sheet.slices(strip=True), strict=True
        ):
            assert got_numbers == numbers
            for column, got in zip(columns, got_columns, strict=True):
                expected = [strip_like_importer(v) for v in column]
                assert all(identical(a, b) for a, b in zip(got, expected, strict=True))
