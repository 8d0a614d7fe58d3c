from sikumi.imports.command import ImportCommand


class Command(ImportCommand):
    kind = "enterprises"
    help = "Impor hasil pendataan usaha mikro dari berkas XLSX"
