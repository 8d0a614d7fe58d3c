"""Pure business rules of Sikumi.

Plain functions over plain values (``Decimal``, ``int``, ``str``, ``date``, ``dict``), tested
without the database. Nothing in this package imports Django: the Django apps call these functions
and pass in the configurable data (predicate bands, methodologies, rule sets) they keep in the
database or in the JSON files shipped in ``sikumi/rules/data/``.
"""
