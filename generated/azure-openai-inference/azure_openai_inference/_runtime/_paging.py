"""Paged list operations (x-ms-pageable): items are fetched lazily, page by page."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Iterator
from typing import Any, Generic, TypeVar

import httpx

from ._errors import ApiResponseValidationError

__all__ = ["AsyncPageIterator", "AsyncPager", "PageIterator", "Pager"]

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
        key_query: Collection[str] = (),
    ) -> None:
        self._fetch = fetch  # fetch(None): the first page; fetch(link): a next page
        self._item_name = item_name
        self._next_link_name = next_link_name  # None: the operation has a single page
        self._decode = decode
        # The client's query keys: a server echoing them in its links would put them in a
        # continuation token; the client adds them again to every request to its origin.
        self._key_query = key_query

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

    def _next_token(self, link: str | None, seen: set[str]) -> str | None:
        """The link to follow after a page: None after the last. A server repeating a link
        would otherwise make us loop forever."""
        if link is None or link in seen:
            return None
        seen.add(link)
        if self._key_query:
            url = httpx.URL(link)
            for name in self._key_query:
                url = url.copy_remove_param(name)
            link = str(url)
            seen.add(link)
        return link


class PageIterator(Generic[_T]):
    """The pages of a Pager, each a list of items. After each page ``continuation_token`` is
    the link to the next one (None after the last): keep it, and ``pager.by_page(token)``
    resumes there later, in another process too."""

    def __init__(self, pager: Pager[_T], continuation_token: str | None) -> None:
        self._pager = pager
        self.continuation_token = continuation_token  # None: the first page
        self._seen = {continuation_token} if continuation_token else set()
        self._finished = False

    def __iter__(self) -> Iterator[list[_T]]:
        return self

    def __next__(self) -> list[_T]:
        if self._finished:
            raise StopIteration
        pager = self._pager
        items, link = pager._parse(pager._fetch(self.continuation_token))
        self.continuation_token = pager._next_token(link, self._seen)
        self._finished = self.continuation_token is None
        return items


class AsyncPageIterator(Generic[_T]):
    """Async twin of PageIterator: ``async for page in pager.by_page()``."""

    def __init__(self, pager: AsyncPager[_T], continuation_token: str | None) -> None:
        self._pager = pager
        self.continuation_token = continuation_token
        self._seen = {continuation_token} if continuation_token else set()
        self._finished = False

    def __aiter__(self) -> AsyncIterator[list[_T]]:
        return self

    async def __anext__(self) -> list[_T]:
        if self._finished:
            raise StopAsyncIteration
        pager = self._pager
        items, link = pager._parse(await pager._fetch(self.continuation_token))
        self.continuation_token = pager._next_token(link, self._seen)
        self._finished = self.continuation_token is None
        return items


class Pager(_PagerBase[_T, Callable[[str | None], httpx.Response]]):
    """Iterate for the items of every page; ``by_page()`` for one list per page, with the
    continuation token to resume from. Each iteration starts again from the first page."""

    def __iter__(self) -> Iterator[_T]:
        for page in self.by_page():
            yield from page

    def by_page(self, continuation_token: str | None = None) -> PageIterator[_T]:
        """The pages from the first, or from the one ``continuation_token`` names (the
        ``continuation_token`` of an earlier page iterator)."""
        return PageIterator(self, continuation_token)

    def pages(self) -> PageIterator[_T]:
        """The pages from the first (``by_page()``)."""
        return self.by_page()


class AsyncPager(_PagerBase[_T, Callable[[str | None], Awaitable[httpx.Response]]]):
    """Async twin of Pager: ``async for item in pager``, ``async for page in pager.by_page()``."""

    async def __aiter__(self) -> AsyncIterator[_T]:
        async for page in self.by_page():
            for item in page:
                yield item

    def by_page(self, continuation_token: str | None = None) -> AsyncPageIterator[_T]:
        return AsyncPageIterator(self, continuation_token)

    def pages(self) -> AsyncPageIterator[_T]:
        return self.by_page()
