"""Paged list operations (x-ms-pageable): items are fetched lazily, page by page."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, Generic, TypeVar

import httpx

from ._errors import ApiResponseValidationError

__all__ = ["AsyncPager", "Pager"]

_T = TypeVar("_T")
_FetchT = TypeVar("_FetchT")


class _PagerBase(Generic[_T, _FetchT]):
    def __init__(
        self,
        fetch: _FetchT,
        *,
        item_name: str = "value",
        next_link_name: str | None = "nextLink",
        decode: Callable[[Any], _T],
    ) -> None:
        self._fetch = fetch  # fetch(None): the first page; fetch(link): a next page
        self._item_name = item_name
        self._next_link_name = next_link_name  # None: the operation has a single page
        self._decode = decode

    def _parse(self, response: httpx.Response) -> tuple[list[_T], str | None]:
        """The page's decoded items and its next link (None: last page)."""
        try:
            page = response.json()
        except (ValueError, RecursionError) as exc:
            raise ApiResponseValidationError(
                f"page is not valid JSON: {exc}", response=response, body=response.text
            ) from exc
        items = page.get(self._item_name) if isinstance(page, dict) else None
        if not isinstance(items, list):
            raise ApiResponseValidationError(
                f"page is not a JSON object with a {self._item_name!r} list",
                response=response,
                body=page,
            )
        try:
            decoded = [self._decode(item) for item in items]
        except Exception as exc:
            raise ApiResponseValidationError(
                f"could not decode page item: {exc!r}", response=response, body=page
            ) from exc
        link = page.get(self._next_link_name) if self._next_link_name else None
        return decoded, link if isinstance(link, str) and link else None

    @staticmethod
    def _follow(link: str | None, seen: set[str]) -> bool:
        # A server repeating a link would otherwise make us loop forever.
        if link is None or link in seen:
            return False
        seen.add(link)
        return True


class Pager(_PagerBase[_T, Callable[[str | None], httpx.Response]]):
    """Iterate for the items of every page; `.pages()` for one list per page.
    Each iteration starts again from the first page."""

    def __iter__(self) -> Iterator[_T]:
        for page in self.pages():
            yield from page

    def pages(self) -> Iterator[list[_T]]:
        seen: set[str] = set()
        items, link = self._parse(self._fetch(None))
        yield items
        while self._follow(link, seen):
            items, link = self._parse(self._fetch(link))
            yield items


class AsyncPager(_PagerBase[_T, Callable[[str | None], Awaitable[httpx.Response]]]):
    """Async twin of Pager: `async for item in pager`, `async for page in pager.pages()`."""

    async def __aiter__(self) -> AsyncIterator[_T]:
        async for page in self.pages():
            for item in page:
                yield item

    async def pages(self) -> AsyncIterator[list[_T]]:
        seen: set[str] = set()
        items, link = self._parse(await self._fetch(None))
        yield items
        while self._follow(link, seen):
            items, link = self._parse(await self._fetch(link))
            yield items
