"""The rule table: which change of the generated Python surface breaks code written against
the old client.  One row per kind of change and condition; README.md prints the same table
(``tests/test_diff_rules.py`` checks that the two agree).

"request" is what user code builds and sends (arguments, the models of a request body);
"response" what it reads back (return values, stream events, error bodies).  A model or enum
used on both sides is judged on each, and a change breaks when it breaks either side.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    kind: str
    when: str  # the condition the comparison found; "" = always
    breaking: bool
    why: str


RULES: tuple[Rule, ...] = (
    # ------------------------------------------------------------------ operations
    Rule("operation-added", "", False, "a new method; existing calls are untouched"),
    Rule("operation-removed", "", True, "calls to the method fail (AttributeError)"),
    Rule(
        "operation-renamed", "", True,
        "the same HTTP operation is reached by another method name",
    ),
    Rule(
        "operation-path-changed", "", False,
        "the method keeps its name and arguments; the client calls the new path",
    ),
    Rule("operation-deprecated", "", False, "the method still works"),
    Rule(
        "operation-paging-changed", "", True,
        "the method returns a pager of items instead of a page, or the reverse",
    ),
    Rule(
        "operation-long-running-changed", "", True,
        "the method becomes begin_… and returns a poller, or the reverse",
    ),
    # ------------------------------------------------------------------ arguments
    Rule(
        "parameter-added", "required", True,
        "existing calls lack a required argument (TypeError)",
    ),
    Rule("parameter-added", "optional", False, "existing calls leave it out"),
    Rule(
        "parameter-removed", "", True,
        "calls passing the argument fail (unexpected keyword argument)",
    ),
    Rule(
        "parameter-made-required", "", True, "calls that leave it out now fail",
    ),
    Rule("parameter-made-optional", "", False, "existing calls pass it, which still works"),
    Rule(
        "parameter-type-changed", "widened", False,
        "every value accepted before is still accepted",
    ),
    Rule(
        "parameter-type-changed", "narrowed or different", True,
        "values passed before may no longer type-check or serialize",
    ),
    Rule(
        "parameter-moved", "", False,
        "the same Python argument; the client sends it in its new place (query, header, body)",
    ),
    Rule(
        "parameter-reordered", "", True,
        "path parameters are positional: existing calls pass them in the old order",
    ),
    Rule(
        "request-content-type-changed", "", False,
        "the client encodes the body; argument changes are reported on their own",
    ),
    # ------------------------------------------------------------------ responses
    Rule(
        "response-type-changed", "narrowed", False,
        "every value returned now was a possible value before",
    ),
    Rule(
        "response-type-changed", "widened or different", True,
        "readers get values their code does not expect (a model widened to a union counts)",
    ),
    Rule(
        "response-content-type-changed", "", False,
        "the client decodes it; a change of the returned type is reported on its own",
    ),
    Rule("streaming-added", "", False, "a new stream=True form; the plain call is unchanged"),
    Rule("streaming-removed", "", True, "calls with stream=True fail"),
    # ------------------------------------------------------------------ models
    Rule("model-added", "", False, "a new class"),
    Rule("model-removed", "", True, "imports of the class fail"),
    Rule("model-base-added", "", False, "the class gains a base; its members stay"),
    Rule(
        "model-base-removed", "", True,
        "isinstance checks against the base fail; inherited members may go",
    ),
    Rule(
        "field-added", "request, required", True,
        "constructors that leave the new field out fail",
    ),
    Rule("field-added", "request, optional", False, "constructors may leave it out"),
    Rule("field-added", "response", False, "readers ignore what they do not read"),
    Rule(
        "field-removed", "", True,
        "readers of the attribute and constructors passing it fail",
    ),
    Rule(
        "field-type-changed", "request, widened", False,
        "every value accepted before is still accepted",
    ),
    Rule(
        "field-type-changed", "request, narrowed or different", True,
        "values built before may no longer type-check or serialize",
    ),
    Rule(
        "field-type-changed", "response, narrowed", False,
        "every value read now was a possible value before",
    ),
    Rule(
        "field-type-changed", "response, widened or different", True,
        "readers get values their code does not expect",
    ),
    Rule("field-made-required", "request", True, "constructors that leave it out fail"),
    Rule("field-made-required", "response", False, "readers always get a value now"),
    Rule("field-made-optional", "request", False, "constructors may still pass it"),
    Rule("field-made-optional", "response", True, "readers may now get None"),
    Rule("field-made-nullable", "request", False, "None becomes one more accepted value"),
    Rule("field-made-nullable", "response", True, "readers may now get None"),
    Rule("field-made-non-nullable", "request", True, "code passing None fails"),
    Rule("field-made-non-nullable", "response", False, "readers no longer get None"),
    # ------------------------------------------------------------------ enums
    Rule("enum-added", "", False, "a new class"),
    Rule("enum-removed", "", True, "imports of the class fail"),
    Rule("enum-value-added", "request", False, "one more value to send"),
    Rule(
        "enum-value-added", "response, open enum", False,
        "open enums already pass unknown values through as plain strings",
    ),
    Rule(
        "enum-value-added", "response, closed enum", True,
        "exhaustive matching misses the new member; old clients cannot decode it",
    ),
    Rule(
        "enum-value-removed", "", True,
        "the member is gone: code naming it fails, whichever side it is on",
    ),
    Rule("enum-value-renamed", "", True, "the same wire value has another member name"),
    Rule("enum-opened", "request", False, "any string is accepted now"),
    Rule(
        "enum-opened", "response", True,
        "readers may get plain strings beside the members",
    ),
    Rule("enum-closed", "request", True, "plain strings are no longer accepted"),
    Rule("enum-closed", "response", False, "readers get members only"),
    # ------------------------------------------------------------------ the client
    Rule("host-changed", "", False, "the client builds the URL from the same arguments"),
    Rule(
        "host-parameter-added", "required", True,
        "clients built without the new argument have no URL",
    ),
    Rule("host-parameter-added", "with default", False, "its default applies"),
    Rule("host-parameter-removed", "", True, "constructors passing it fail"),
    Rule(
        "client-parameter-added", "required", True,
        "constructors without the new argument fail",
    ),
    Rule("client-parameter-added", "with default", False, "its default applies"),
    Rule("client-parameter-removed", "", True, "constructors passing it fail"),
    Rule(
        "client-parameter-default-changed", "", False,
        "clients built without it now send the new default (an api-version, say)",
    ),
    Rule("security-scheme-added", "", False, "one more way to authenticate"),
    Rule(
        "security-scheme-removed", "", True,
        "constructors passing its credential argument fail (schemes are matched by the"
        " arguments they take, not by their names in the spec)",
    ),
    Rule(
        "security-scheme-changed", "", False,
        "the same constructor arguments; the client sends the credential the new way",
    ),
)  # fmt: skip

_BY_KEY = {(r.kind, r.when): r for r in RULES}
KINDS = tuple(dict.fromkeys(r.kind for r in RULES))


def rule(kind: str, when: str = "") -> Rule:
    return _BY_KEY[(kind, when)]


def strictest(kind: str, conditions: list[str]) -> Rule:
    """The rule of the first breaking condition, else of the first: a model used on both
    sides breaks when either side does."""
    rules = [rule(kind, when) for when in conditions]
    return next((r for r in rules if r.breaking), rules[0])
