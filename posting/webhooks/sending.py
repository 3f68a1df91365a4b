"""Sending one attempt of a signed delivery: an HTTP POST with a short timeout, redirects not followed. The
package's one network call; no session, no database."""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from dataclasses import dataclass

from posting.webhooks.deliveries import Answer

ANSWER_EXCERPT = 200
"""How much of an unsuccessful answer's body is kept as the reason."""


@dataclass(frozen=True)
class SignedRequest:
    url: str
    headers: dict[str, str]
    body: bytes


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is taken as the answer: following it would send the signed body where nobody configured it."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: PLR0913 - urllib's signature
        return None


_OPENER = urllib.request.build_opener(_RefuseRedirects)


def post(request: SignedRequest, timeout: float) -> Answer:
    """Send the request; its answer, or why there was none (never raises for the receiver's trouble)."""
    try:
        outgoing = urllib.request.Request(request.url, data=request.body, headers=request.headers, method="POST")
        with _OPENER.open(outgoing, timeout=timeout) as response:
            return Answer(response.status)
    except urllib.error.HTTPError as answer:
        return Answer(answer.code, _unsuccessful(answer))
    except urllib.error.URLError as exc:
        return Answer(None, _unreachable(exc.reason, timeout))
    except (OSError, http.client.HTTPException, ValueError) as exc:  # ValueError: a URL urllib cannot send
        return Answer(None, _unreachable(exc, timeout))


def _unsuccessful(answer: urllib.error.HTTPError) -> str:
    if 300 <= answer.code < 400:
        return (f"HTTP {answer.code}: redirects are not followed (Location: {answer.headers.get('Location')}); "
                "give the webhook the final URL")
    excerpt = answer.read(ANSWER_EXCERPT).decode("utf-8", "replace").strip()
    return f"HTTP {answer.code}{f': {excerpt}' if excerpt else ''}"


def _unreachable(reason: object, timeout: float) -> str:
    if isinstance(reason, TimeoutError):
        return f"no answer within {timeout:g} s"
    return f"the receiver could not be reached: {reason}"
