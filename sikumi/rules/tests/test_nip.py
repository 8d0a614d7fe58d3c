from sikumi.rules.identifiers import normalise_nip, validate_nip

NIP = "198504122010011003"  # born 12-04-1985, CPNS January 2010, man, serial 003


def test_a_well_formed_nip_is_valid_with_or_without_the_spaces_people_write():
    assert validate_nip(NIP) == []
    assert validate_nip("19850412 201001 1 003") == []
    assert normalise_nip(" 19850412 201001 1 003 ") == NIP


def test_a_nip_must_be_18_digits():
    assert validate_nip("") == ["NIP belum diisi"]
    assert validate_nip(None) == ["NIP belum diisi"]
    assert validate_nip("19850412201001100") == ["NIP harus 18 digit angka (terisi 17 karakter)"]
    assert validate_nip("1985041220100110O3") == ["NIP harus 18 digit angka (terisi 18 karakter)"]


def test_the_birth_date_must_exist():
    assert validate_nip("198502302010011003") == ["Tanggal lahir pada NIP (30-02-1985) tidak valid"]


def test_the_appointment_month_must_exist_and_follow_the_birth():
    assert validate_nip("198504122010131003") == [
        "Bulan pengangkatan pada NIP (13-2010) tidak valid"
    ]
    assert validate_nip("198504121980011003") == [
        "Bulan pengangkatan pada NIP harus sesudah tanggal lahir"
    ]


def test_the_sex_digit_and_the_serial():
    assert validate_nip("198504122010013003") == ["Kode jenis kelamin pada NIP (3) harus 1 atau 2"]
    assert validate_nip("198504122010012000") == ["Nomor urut pada NIP tidak boleh 000"]
    assert validate_nip("198504122010012001") == []  # a woman
