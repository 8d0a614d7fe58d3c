"""Default checklist of required documents per kind of service case (domain notes section 4)
and the default compliance checklist of inspections. Loaded once by migration 0002; after that
administrators edit them in the Django admin (these values are only the starting point)."""

REQUIREMENTS: dict[str, list[dict]] = {
    "pendirian": [
        {"code": "akta-notaris", "label": "Akta pendirian koperasi dari notaris (NPAK)"},
        {"code": "berita-acara-rapat", "label": "Berita acara rapat pendirian"},
        {
            "code": "daftar-pendiri",
            "label": "Daftar hadir dan identitas pendiri (sekurang-kurangnya 9 orang)",
            "description": "Jumlah minimal pendiri belum dipastikan (confirm); ubah nilai "
            "minimum bila ketentuan berbeda.",
            "measure": "founder_count",
            "minimum": 9,
        },
        {"code": "bukti-modal-awal", "label": "Bukti setoran modal awal"},
        {"code": "rencana-usaha", "label": "Rencana kegiatan usaha", "mandatory": False},
    ],
    "perubahan_ad": [
        {
            "code": "berita-acara-rat",
            "label": "Berita acara rapat anggota perubahan anggaran dasar",
        },
        {"code": "akta-perubahan", "label": "Akta perubahan anggaran dasar dari notaris"},
        {"code": "ad-lama", "label": "Anggaran dasar sebelum perubahan"},
    ],
    "penggabungan": [
        {"code": "keputusan-rapat", "label": "Keputusan rapat anggota setiap koperasi"},
        {"code": "neraca", "label": "Neraca akhir setiap koperasi yang bergabung/melebur"},
        {"code": "akta-penggabungan", "label": "Akta penggabungan/peleburan dari notaris"},
    ],
    "pembubaran": [
        {"code": "keputusan-rapat", "label": "Keputusan rapat anggota tentang pembubaran"},
        {"code": "tim-penyelesai", "label": "Susunan tim penyelesai"},
        {"code": "neraca-akhir", "label": "Neraca akhir koperasi"},
    ],
    "iusp": [
        {
            "code": "bukti-modal-disetor",
            "label": "Bukti modal sendiri yang disetor pada rekening bank atas nama koperasi",
        },
        {"code": "rencana-kerja", "label": "Rencana kerja 3 (tiga) tahun"},
        {"code": "pembukuan-terpisah", "label": "Bukti pembukuan usaha simpan pinjam terpisah"},
        {
            "code": "daftar-pengelola",
            "label": "Nama dan riwayat hidup pengurus, pengawas dan pengelola",
        },
        {"code": "kantor-peralatan", "label": "Bukti kantor dan peralatan kerja"},
        {"code": "pemilik-manfaat", "label": "Surat pernyataan pemilik manfaat (beneficial owner)"},
        {
            "code": "dewan-pengawas-syariah",
            "label": "Susunan Dewan Pengawas Syariah (khusus KSPPS/USPPS)",
            "syariah_only": True,
        },
    ],
    "kantor_cabang": [
        {
            "code": "laporan-keuangan",
            "label": "Laporan keuangan 2 (dua) tahun terakhir",
            "measure": "statement_years",
            "minimum": 2,
        },
        {
            "code": "anggota-wilayah",
            "label": "Daftar anggota di wilayah kantor cabang (sekurang-kurangnya 20 orang)",
            "measure": "branch_member_count",
            "minimum": 20,
        },
        {
            "code": "modal-kerja",
            "label": "Bukti modal kerja kantor cabang (sekurang-kurangnya Rp15.000.000)",
            "measure": "branch_capital",
            "minimum": 15000000,
        },
        {"code": "rencana-kerja", "label": "Rencana kerja kantor cabang"},
        {"code": "kantor", "label": "Bukti kantor dan peralatan kerja"},
    ],
    "cabang_pembantu": [
        {
            "code": "laporan-keuangan",
            "label": "Laporan keuangan 2 (dua) tahun terakhir",
            "measure": "statement_years",
            "minimum": 2,
        },
        {"code": "rencana-kerja", "label": "Rencana kerja kantor cabang pembantu"},
        {"code": "kantor", "label": "Bukti kantor dan peralatan kerja"},
    ],
    "kantor_kas": [
        {
            "code": "laporan-keuangan",
            "label": "Laporan keuangan 2 (dua) tahun terakhir",
            "measure": "statement_years",
            "minimum": 2,
        },
        {"code": "kantor", "label": "Bukti kantor dan peralatan kerja"},
    ],
}

CHECKLIST = {
    "code": "kepatuhan-ksp",
    "revision": 1,
    "title": "Pemeriksaan kepatuhan KSP/USP",
    "valid_from": "2021-01-01",
    "items": [
        ("rat", "RAT tahun buku terakhir diselenggarakan", True),
        ("izin", "Memiliki izin usaha simpan pinjam yang masih berlaku", True),
        ("anggaran-dasar", "Anggaran dasar disahkan dan sesuai kegiatan usaha", True),
        (
            "pengurus",
            "Pengurus dan pengawas dipilih rapat anggota dan masa jabatannya berlaku",
            True,
        ),
        ("pembukuan", "Pembukuan usaha simpan pinjam terpisah dari usaha lain", True),
        ("laporan-keuangan", "Laporan keuangan tahunan disusun sesuai standar akuntansi", True),
        ("pinjaman-anggota", "Pinjaman hanya diberikan kepada anggota dan calon anggota", True),
        ("apu-ppt", "Menerapkan prinsip mengenali pengguna jasa (APU-PPT)", True),
        ("laporan-berkala", "Menyampaikan laporan berkala kepada Dinas", False),
        ("sertifikat", "Pengelola memiliki sertifikat kompetensi", False),
        ("papan-nama", "Papan nama dan izin usaha dipasang di kantor", False),
    ],
}
