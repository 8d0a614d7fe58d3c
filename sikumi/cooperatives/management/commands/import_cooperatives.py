from sikumi.imports.command import ImportCommand


class Command(ImportCommand):
    kind = "cooperatives"
    help = (
        "Impor daftar koperasi dari berkas XLSX: import_cooperatives FILE.xlsx "
        "[--dry-run] [--json] [--mapping NAMA] [--user NAMA_PENGGUNA]"
    )
