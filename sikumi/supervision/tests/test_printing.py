"""The official sheets of supervision: the tanda terima of a service case and the health result,
with the letterhead and the signature block."""

import io
import itertools

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from sikumi.rules.formatting import format_date
from sikumi.supervision import services

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def received_case(personas, iusp_case):
    """Budi's IUSP application: the first requirement handed over, the others still missing;
    Kiki, with her NIP on record, is the officer in charge."""
    kiki = personas.kiki
    kiki.first_name, kiki.last_name, kiki.nip = "Kiki", "Amalia", "199001012015032004"
    kiki.save()
    iusp_case.officer = kiki
    iusp_case.save(update_fields=["officer"])
    first = iusp_case.requirements.order_by("order", "id").first()
    first.fulfilled = True
    services.requirement_update(actor=kiki, requirement=first, expected_version=None)
    return iusp_case


def test_the_case_page_offers_the_receipt(personas, client_for, received_case):
    page = client_for(personas.kiki).get(
        reverse("supervision:case-detail", args=[received_case.pk])
    )
    url = reverse("supervision:case-receipt", args=[received_case.pk])
    assert f'href="{url}"' in page.content.decode()
    assert "Cetak tanda terima" in page.content.decode()


def test_the_receipt_lists_the_application_and_ticks_what_was_received(
    personas, client_for, received_case
):
    response = client_for(personas.kiki).get(
        reverse("supervision:case-receipt", args=[received_case.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    requirements = list(received_case.requirements.order_by("order", "id"))
    for expected in (
        "PEMERINTAH KOTA DEPOK",
        "DINAS KOPERASI DAN USAHA MIKRO",
        "TANDA TERIMA BERKAS PERMOHONAN",
        received_case.number,
        "Izin Usaha Simpan Pinjam",
        "Budi",
        "2 November 2026",  # received on
        f"Diterima 1 dari {len(requirements)} persyaratan.",
        "Yang menyerahkan,",
        f"Depok, {format_date(timezone.localdate())}",
        "Yang menerima,",
        "Kiki Amalia",
        "NIP. 19900101 201503 2 004",
    ):
        assert expected in text, expected
    # each row from its label to the next one's (a long label wraps onto a second line)
    starts = [text.index(r.label[:25]) for r in requirements] + [text.index("Diterima 1 dari")]
    rows = [text[a:b] for a, b in itertools.pairwise(starts)]
    assert "Ada" in rows[0] and "Belum ada" not in rows[0]
    assert all("Belum ada" in row for row in rows[1:])


def test_without_an_officer_the_user_printing_signs_the_receipt(personas, client_for, iusp_case):
    text = _text(
        client_for(personas.kiki)
        .get(reverse("supervision:case-receipt", args=[iusp_case.pk]))
        .content
    )
    assert "Kiki" in text and "PETUGAS PENERIMA BERKAS" in text


def test_a_case_out_of_reach_has_no_receipt(personas, client_for, iusp_case):
    response = client_for(personas.kiki).get(
        reverse("supervision:case-receipt", args=[iusp_case.pk + 1000])
    )
    assert response.status_code == 404


def test_the_health_result_is_signed_by_the_kepala_dinas_or_the_official_picked(
    personas, client_for, ksp, assess, example_inputs
):
    kartika = personas.kartika
    kartika.last_name, kartika.nip = "Sari Dewi", "197001011990032001"
    kartika.save()
    plt = personas.wulan
    plt.nip, plt.position = "198002022005011003", "Plt. Kepala Dinas Koperasi dan Usaha Mikro"
    plt.save()
    assessment = assess(ksp, 2025, example_inputs)
    client = client_for(personas.kiki)
    page = client.get(reverse("supervision:assessment-detail", args=[assessment.pk]))
    assert f'<option value="{plt.pk}">' in page.content.decode()
    url = reverse("supervision:assessment-pdf", args=[assessment.pk])
    text = _text(client.get(url).content)
    assert "PEMERINTAH KOTA DEPOK" in text
    assert "Kartika Sari Dewi" in text and "NIP. 19700101 199003 2 001" in text
    text = _text(client.get(f"{url}?penandatangan={plt.pk}").content)
    assert "PLT. KEPALA DINAS KOPERASI DAN USAHA MIKRO" in text
    assert "NIP. 19800202 200501 1 003" in text and "Kartika" not in text


def test_the_case_list_export_prints_landscape_one_page_wide(
    personas, client_for, iusp_case, settings
):
    settings.SIKUMI_PAPER_SIZE = "F4"
    response = client_for(personas.kiki).get(reverse("supervision:case-list") + "?format=xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 14  # Folio 8,5 x 13 in (F4)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1, "1")  # absent: OOXML's default of 1
    assert int(ws.page_setup.fitToHeight) == 0
    assert ws.print_title_rows  # the column headers repeat on every page
