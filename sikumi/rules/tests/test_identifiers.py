from sikumi.rules.identifiers import (
    mask_nik,
    mask_phone,
    nik_sex,
    validate_nib,
    validate_nik,
    validate_nik_koperasi,
)

MALE = "3276011708900001"  # Depok, born 17-08-1990
FEMALE = "3276015708900002"  # day 17 + 40


def test_valid_nik():
    assert validate_nik(MALE) == []
    assert validate_nik(FEMALE) == []
    assert validate_nik(f"  {MALE} ") == []


def test_nik_sex_from_birth_day():
    assert nik_sex(MALE) == "L"
    assert nik_sex(FEMALE) == "P"
    assert nik_sex("123") is None


def test_nik_length_and_digits():
    assert validate_nik("327601170890000") == ["NIK harus 16 digit angka (terisi 15 karakter)"]
    assert validate_nik("32760117089O0001") == ["NIK harus 16 digit angka (terisi 16 karakter)"]
    assert validate_nik("") == ["NIK belum diisi"]
    assert validate_nik(None) == ["NIK belum diisi"]


def test_nik_province_code():
    assert validate_nik("0976011708900001") == ["Kode provinsi pada NIK (09) tidak dikenal"]
    assert validate_nik("9776011708900001") == ["Kode provinsi pada NIK (97) tidak dikenal"]
    assert validate_nik("1176011708900001") == []
    assert validate_nik("9676011708900001") == []


def test_nik_birth_date():
    assert validate_nik("3276011713900001") == ["Bulan lahir pada NIK (13) tidak valid"]
    assert validate_nik("3276013202900001") == ["Tanggal lahir pada NIK (32-02) tidak valid"]
    assert validate_nik("3276017202900001") == ["Tanggal lahir pada NIK (72-02) tidak valid"]
    assert validate_nik("3276010008900001") == ["Tanggal lahir pada NIK (00-08) tidak valid"]
    assert validate_nik("3276013004900001") == []  # 30 April
    assert validate_nik("3276013104900001") == ["Tanggal lahir pada NIK (31-04) tidak valid"]
    assert validate_nik("3276016902000001") == []  # 29 Feb 2000, a woman
    assert validate_nik("3276012902010001") == ["Tanggal lahir pada NIK (29-02) tidak valid"]


def test_mask_nik_keeps_first_and_last_four():
    assert mask_nik("3276010101010001") == "3276********0001"
    assert mask_nik("12345678") == "********"
    assert mask_nik(None) == ""


def test_mask_phone():
    assert mask_phone("081234567890") == "0812*****890"
    assert mask_phone("+62 812-3456-7890") == "+6281******890"
    assert mask_phone("12") == "**"


def test_nib():
    assert validate_nib("1234567890123") == []
    assert validate_nib("123456789012") == ["NIB harus 13 digit angka (terisi 12 karakter)"]
    assert validate_nib(None) == ["NIB belum diisi"]


def test_nik_koperasi():
    assert validate_nik_koperasi("3276010000000001") == []
    assert validate_nik_koperasi("32760100000001") == [
        "NIK Koperasi harus 16 digit (terisi 14 digit)"
    ]
    assert validate_nik_koperasi("32760100000001", length=None) == []
    assert validate_nik_koperasi("3276-0100") == ["NIK Koperasi hanya boleh berisi angka"]
