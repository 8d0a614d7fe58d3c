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
    def __init__(self, *args: Any, count_queryset: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The same rows written for counting them fast, when the page's form of the query is
        # fast only for reading a page (see PersonFilter.count_queryset).
        self.count_queryset = count_queryset

    @cached_property
    def count(self) -> int:
        queryset: Any = self.object_list if self.count_queryset is None else self.count_queryset
        try:
            sql, params = queryset.query.sql_with_params()
        except Exception:  # an empty result set raises; nothing to cache
            return int(queryset.count())
        digest = hashlib.sha256(f"{sql}|{params!r}".encode()).hexdigest()
        key = f"enterprises:{registry_version()}:count:{digest}"
        value = cache.get(key)
        if value is None:
            value = queryset.count()
            cache.set(key, value, CACHE_SECONDS)
        return int(value)


def paginate(request: Any, queryset: Any, per_page: int = 50, count_queryset: Any = None) -> Page:
    paginator = CachedCountPaginator(queryset, per_page, count_queryset=count_queryset)
    return paginator.get_page(request.GET.get("page"))
