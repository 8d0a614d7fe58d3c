"""One person per NIK, never a silent merge (issue 13): a NIK that arrives with another name,
sex or birth date than the person already holding it (earlier in the file or in the database)
is a conflict row, shown with both values and written only as a user decides."""

import datetime as dt

import pytest

from sikumi.enterprises.models import Enterprise, Person
from sikumi.enterprises.tests.helpers import HEADERS, NIK_BUDI, NIK_SITI, row, write_xlsx
from sikumi.imports import engine, services
from sikumi.imports.models import ImportBatch, ImportStatus

pytestmark = pytest.mark.django_db

NIK_BUDI_TYPO_OWNER = NIK_BUDI  # the second owner's NIK mistyped as Budi's
NIK_JOKO = "3276011506800004"  # a man, born 15-06-1980


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Background tasks start when their transaction commits: run them in the test."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def upload(on_commit):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def send(user, path):
        file = SimpleUploadedFile(path.name, path.read_bytes())
        with on_commit():
            batch = services.batch_upload(actor=user, kind="enterprises", file=file)
        batch.refresh_from_db()
        return batch

    return send


@pytest.fixture
def decide(on_commit):
    def send(user, batch, decisions):
        with on_commit():
            services.batch_decide(actor=user, batch=batch, decisions=decisions)
        batch.refresh_from_db()

    return send


@pytest.fixture
def confirm(on_commit):
    def send(user, batch):
        with on_commit():
            services.batch_confirm(actor=user, batch=batch)
        batch.refresh_from_db()

    return send


def test_two_people_with_one_nik_in_a_file_are_a_conflict_not_a_merge(
    personas, depok, tmp_path, upload, decide, confirm
):
    path = write_xlsx(
        tmp_path / "a.xlsx",
        [
            row("Warung Budi", "Budi Santoso", NIK_BUDI, wub="Tidak", year=None),
            row("Bengkel Joko", "Joko Widodo", NIK_BUDI_TYPO_OWNER, wub="Ya", year=2025),
        ],
    )
    batch = upload(personas.pandu, path)
    report = batch.report
    assert report["conflict_rows"] == 1 and report["duplicate_rows"] == 0
    conflict = report["conflicts"][0]
    assert conflict["row"] == 3 and conflict["conflict_of"] == 2
    assert "Joko Widodo" in conflict["file"] and "Budi Santoso" in conflict["existing"]
    assert NIK_BUDI not in str(report)  # the NIK shows masked only
    assert batch.conflict_rows == 1

    confirm(personas.pandu, batch)
    # Nothing merged: Budi keeps his own answer ("Tidak"), Joko's business waits for a decision.
    assert list(Enterprise.objects.values_list("name", flat=True)) == ["Warung Budi"]
    budi = Person.objects.get()
    assert budi.name == "Budi Santoso" and budi.new_entrepreneur_year is None


def test_the_preview_page_shows_both_values_and_the_decision(
    personas, depok, tmp_path, client, upload
):
    path = write_xlsx(
        tmp_path / "a.xlsx",
        [row("Warung Budi", "Budi Santoso", NIK_BUDI), row("Bengkel Joko", "Joko", NIK_BUDI)],
    )
    batch = upload(personas.pandu, path)
    client.force_login(personas.pandu)
    page = client.get(f"/impor/batch/{batch.pk}/").content.decode()
    assert "Konflik NIK" in page and "Joko" in page and "Budi Santoso" in page
    assert 'id="conflict-rows">1<' in page
    assert "Orang yang sama" in page and "NIK yang benar" in page


def test_a_conflict_with_a_registered_person_waits_for_a_decision(
    personas, depok, tmp_path, upload, decide, confirm
):
    first = write_xlsx(tmp_path / "a.xlsx", [row("Warung Budi", "Budi Santoso", NIK_BUDI)])
    engine.run("enterprises", first, commit=True)
    second = write_xlsx(tmp_path / "b.xlsx", [row("Bengkel Joko", "Joko", NIK_BUDI)])
    batch = upload(personas.pandu, second)
    assert batch.report["conflict_rows"] == 1
    conflict = batch.report["conflicts"][0]
    assert conflict["conflict_of"] is None and "Budi Santoso" in conflict["existing"]
    assert batch.report["valid_rows"] == 0


def test_fixing_the_nik_imports_the_second_person_as_a_person_of_their_own(
    personas, depok, tmp_path, upload, decide, confirm
):
    path = write_xlsx(
        tmp_path / "a.xlsx",
        [
            row("Warung Budi", "Budi Santoso", NIK_BUDI, wub="Tidak", year=None),
            row("Bengkel Joko", "Joko Widodo", NIK_BUDI, wub="Ya", year=2025),
        ],
    )
    batch = upload(personas.pandu, path)
    decide(personas.pandu, batch, {3: ("fix", NIK_JOKO)})
    assert batch.report["conflict_rows"] == 0 and batch.report["valid_rows"] == 2
    confirm(personas.pandu, batch)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED
    people = {p.name: p for p in Person.objects.all()}
    assert people["Joko Widodo"].nik == NIK_JOKO
    # Each row's own answer stays with its business and its person.
    assert people["Budi Santoso"].new_entrepreneur_year is None
    assert people["Joko Widodo"].new_entrepreneur_year == 2025


def test_same_person_attaches_the_business_and_updates_the_person(
    personas, depok, tmp_path, upload, decide, confirm
):
    first = write_xlsx(tmp_path / "a.xlsx", [row("Warung Budi", "Budi Santoso", NIK_BUDI)])
    engine.run("enterprises", first, commit=True)
    second = write_xlsx(tmp_path / "b.xlsx", [row("Bengkel Budi", "Budi Santosa", NIK_BUDI)])
    batch = upload(personas.pandu, second)
    decide(personas.pandu, batch, {2: ("same", "")})
    assert batch.report["conflict_rows"] == 0 and batch.report["valid_rows"] == 1
    confirm(personas.pandu, batch)
    person = Person.objects.get()
    assert person.name == "Budi Santosa"
    assert person.enterprises.count() == 2


def test_skipped_and_undecided_conflicts_are_not_written(
    personas, depok, tmp_path, upload, decide, confirm
):
    path = write_xlsx(
        tmp_path / "a.xlsx",
        [row("Toko Siti", "Siti", NIK_SITI, "P"), row("Toko Sari", "Sari", NIK_SITI, "P")],
    )
    batch = upload(personas.pandu, path)
    decide(personas.pandu, batch, {3: ("skip", "")})
    assert batch.report["conflict_rows"] == 1
    confirm(personas.pandu, batch)
    assert list(Enterprise.objects.values_list("name", flat=True)) == ["Toko Siti"]


def test_a_wrong_corrected_nik_is_refused_with_a_message(
    personas, depok, tmp_path, upload, decide, confirm
):
    path = write_xlsx(
        tmp_path / "a.xlsx",
        [row("Warung Budi", "Budi", NIK_BUDI), row("Bengkel Joko", "Joko", NIK_BUDI)],
    )
    batch = upload(personas.pandu, path)
    with pytest.raises(services.ImportStateError, match="NIK"):
        decide(personas.pandu, batch, {3: ("fix", "123")})
    assert ImportBatch.objects.get(pk=batch.pk).options.get("decisions") is None


def test_a_sex_or_birth_date_that_differs_is_a_conflict_too(
    personas, depok, tmp_path, upload, decide, confirm
):
    headers = [*HEADERS, "Tanggal Lahir"]
    born = dt.date(1985, 3, 12)
    path = write_xlsx(
        tmp_path / "a.xlsx",
        [
            [*row("Warung Budi", "Budi", NIK_BUDI), born],
            [*row("Warung Budi 2", "Budi", NIK_BUDI), dt.date(1986, 3, 12)],
            [*row("Warung Budi 3", "Budi", NIK_BUDI), None],
        ],
        headers=headers,
    )
    report = engine.run("enterprises", path, commit=False)
    assert [c["row"] for c in report["conflicts"]] == [3]
    assert report["valid_rows"] == 2  # an unknown birth date does not contradict
