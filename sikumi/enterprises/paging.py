"""Pagination of lists over a million rows: the COUNT(*) of a filter is cached under the
registry version (it only changes when the registry changes), so paging through a filtered list
costs one indexed page query; the first request of a new filter pays the count once."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

from sikumi.enterprises.selectors import CACHE_SECONDS, registry_version


class CachedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        try:
            sql, params = queryset.query.sql_with_params()  # type: ignore[attr-defined]
        except Exception:  # an empty result set raises; nothing to cache
            return super().count
        digest = hashlib.sha256(f"{sql}|{params!r}".encode()).hexdigest()
        key = f"enterprises:{registry_version()}:count:{digest}"
        value = cache.get(key)
        if value is None:
            value = queryset.count()  # type: ignore[attr-defined]
            cache.set(key, value, CACHE_SECONDS)
        return int(value)


def paginate(request: Any, queryset: Any, per_page: int = 50) -> Page:
    return CachedCountPaginator(queryset, per_page).get_page(request.GET.get("page"))
