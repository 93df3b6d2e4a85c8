"""Streamed binary downloads: the body is read chunk by chunk, never held whole
unless `read()` asks for it."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import AsyncIterator, Iterator
from types import TracebackType
from typing import IO, TYPE_CHECKING

import httpx

from ._errors import ApiResponseValidationError, _transport_error

if TYPE_CHECKING:
    # typing.Self is 3.11+; only the type checker needs it.
    from typing_extensions import Self  # noqa: UP035, RUF100

__all__ = ["AsyncBinaryResponse", "BinaryResponse"]

_CHUNK_SIZE = 64 * 1024


class _BinaryBase:
    def __init__(self, response: httpx.Response) -> None:
        self.response = response  # sent with stream=True: the body is still unread

    @property
    def headers(self) -> httpx.Headers:
        return self.response.headers

    @property
    def content_type(self) -> str | None:
        value: str | None = self.response.headers.get("content-type")
        return value


@contextlib.contextmanager
def _atomic_file(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """A new file in the target's folder, renamed over the target only once complete:
    a failed download never leaves a partial file behind (nor clobbers an old one)."""
    target = os.fspath(path)
    folder, name = os.path.split(os.path.abspath(target))
    temp = os.path.join(folder, f".{name}.{secrets.token_hex(4)}.part")
    try:
        with open(temp, "xb") as f:  # "x": never reuse someone else's file
            yield f
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


class BinaryResponse(_BinaryBase):
    """A binary response body. Use as a context manager, or consume it fully
    (iter_bytes / write_to / read), so the connection is released."""

    def iter_bytes(self, chunk_size: int = _CHUNK_SIZE) -> Iterator[bytes]:
        try:
            yield from self.response.iter_bytes(chunk_size)
        except httpx.TransportError as exc:
            raise _transport_error(exc) from exc
        except httpx.DecodingError as exc:  # a Content-Encoding the body does not follow
            raise ApiResponseValidationError(str(exc), response=self.response) from exc
        finally:
            self.response.close()

    def write_to(self, path: str | os.PathLike[str]) -> int:
        """Stream the body into `path`; returns the number of bytes written."""
        written = 0
        try:
            with _atomic_file(path) as f:
                for chunk in self.iter_bytes():
                    written += f.write(chunk)
        finally:
            self.close()  # also when the file write failed mid-stream
        return written

    def read(self) -> bytes:
        try:
            return self.response.read()
        except httpx.TransportError as exc:
            raise _transport_error(exc) from exc
        except httpx.DecodingError as exc:  # a Content-Encoding the body does not follow
            raise ApiResponseValidationError(str(exc), response=self.response) from exc
        finally:
            self.response.close()

    def close(self) -> None:
        self.response.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncBinaryResponse(_BinaryBase):
    """Async twin of BinaryResponse (file writes in `write_to` are blocking)."""

    async def aiter_bytes(self, chunk_size: int = _CHUNK_SIZE) -> AsyncIterator[bytes]:
        try:
            async for chunk in self.response.aiter_bytes(chunk_size):
                yield chunk
        except httpx.TransportError as exc:
            raise _transport_error(exc) from exc
        except httpx.DecodingError as exc:  # a Content-Encoding the body does not follow
            raise ApiResponseValidationError(str(exc), response=self.response) from exc
        finally:
            await self.response.aclose()

    async def write_to(self, path: str | os.PathLike[str]) -> int:
        written = 0
        try:
            with _atomic_file(path) as f:
                async for chunk in self.aiter_bytes():
                    written += f.write(chunk)
        finally:
            await self.aclose()  # an abandoned async generator is only finalized later
        return written

    async def aread(self) -> bytes:
        try:
            return await self.response.aread()
        except httpx.TransportError as exc:
            raise _transport_error(exc) from exc
        except httpx.DecodingError as exc:  # a Content-Encoding the body does not follow
            raise ApiResponseValidationError(str(exc), response=self.response) from exc
        finally:
            await self.response.aclose()

    async def aclose(self) -> None:
        await self.response.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
