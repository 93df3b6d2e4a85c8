"""Generated code is black's layout without black: ``black(text) == text`` for every file."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import load_jobs
from generator.python.format import _string_lines, black_format, format_python
from generator.python.layout import fit
from generator.writer import read_tree
from tests.helpers import CORPUS, ROOT


@pytest.mark.parametrize("job", load_jobs(ROOT / "pyproject.toml"), ids=lambda j: j.package_name)
def test_generated_files_are_black_fixpoints(job) -> None:  # type: ignore[no-untyped-def]
    for path, text in read_tree(job.output).items():
        if path.endswith(".py"):
            assert black_format(path, text) == text, f"black would reformat {path}"


_CALL = ("def f(data):\n    return g(\n", "    )\n")  # a line inside an exploded call
_DEEP_CALL = ("class C:\n    def f(self):\n        return g(\n", "        )\n")
_CLASS = ("class C:\n", "")
_METHOD = ("class C:\n    def f(self):\n        data = {}\n", "")
_SIGNATURE = ("class C:\n    def create(\n        self,\n", "")
_PARAMETERS = ("class C:\n    def create(\n        self,\n", "    ): ...\n")
_SIGNATURE_END = ("class C:\n    def create(\n        self,\n", "        pass\n")
_TOP_BLOCK = ("", "    pass\n")  # a class header at the top level
_METHOD_HEADER = ("class C:\n", "        pass\n")
_ENUM = ("class C(str, Enum):\n", "")
_MODULE = ("", "")
_INIT = ("class C:\n    def __init__(self, data):\n", "")
_TWILIO = "ApiV2010AccountIncomingPhoneNumberIncomingPhoneNumberAssignedAddOnIncomingPhoneNumberAssignedAddOnExtension"
_STRIPE = (
    "CustomerBalanceResourceCashBalanceTransactionResourceFundedTransactionResourceBankTransferType"
)


@pytest.mark.parametrize(
    "context, line",
    [
        (("", ""), "from .._runtime import " + ", ".join(f"Name{i}" for i in range(12))),
        (
            _CLASS,
            "    _KEYS: ClassVar[frozenset[str]] = frozenset({"
            + ", ".join(f'"k{i}"' for i in range(20))
            + "})",
        ),
        (
            _CLASS,
            "    _KEYS: ClassVar[frozenset[str]] = frozenset({"
            + ", ".join(f'"k{i}"' for i in range(9))
            + "})",
        ),
        (
            _CALL,
            '        value=SomeModel.from_dict(data["value"]) if data.get("value") is not None else None,',
        ),
        (
            _CALL,
            '        value=SomeLongerModelName.from_dict(data["some_value"]) if data.get("some_value") is not None else None,',
        ),
        (
            _CALL,
            '        result=_serde.decode_union(data["value"], ((dict,), First.from_dict), ((dict,), Second.from_dict)),',
        ),
        (
            _CALL,
            '        data={"prompt": prompt, "response_format": response_format, "temperature": temperature, "language": language},',
        ),
        (
            _CALL,
            '        "/parties/{partyId}/models/{modelId}/resource-types/{resourceType}/resources/{id}",',
        ),
        (
            _METHOD,
            '        data["custom_blocklists"] = [v.to_dict(read_only=read_only) for v in self.blocklists]',
        ),
        (
            _METHOD,
            '        data["custom_blocklists"] = [v.to_dict(read_only=read_only) for v in self.custom_blocklists_longer]',
        ),
        (
            _SIGNATURE,
            "    ) -> MicrosoftAzureCompletionsCreateResponse | Stream[MicrosoftAzureCompletionsCreateResponse]: ...",
        ),
        (
            _SIGNATURE,
            "    ) -> MicrosoftAzureCompletionsCreateResponse | AsyncStream[MicrosoftAzureCompletionsCreateResponse]: ...",
        ),
        # annotated fields: the value in parentheses, else the annotation, split before |
        (
            _CLASS,
            "    tool_choice: ChatCompletionToolChoiceOptionOption1 | str | ChatCompletionNamedToolChoice | None = None",
        ),
        (
            _CLASS,
            "    function_call: CreateChatCompletionRequestFunctionCallOption1 | str | CreateChatCompletionRequestFunctionCallOption2 | None = None",
        ),
        (
            _CLASS,
            "    authentication: OnYourDataApiKeyAuthenticationOptions | OnYourDataSystemAssignedManagedIdentityAuthenticationOptions",
        ),
        (
            _CLASS,
            "    type: OnYourDataAuthenticationType | str = OnYourDataAuthenticationType.SYSTEM_ASSIGNED_MANAGED_IDENTITY",
        ),
        (
            _CLASS,
            "    annotations: list[MessageContentTextAnnotationsFileCitationObject | MessageContentTextAnnotationsFilePathObject]",
        ),
        (
            _CLASS,
            "    items: list[SomeModelWithAVeryLongName | AnotherModelWithAnEvenLongerName] = field(default_factory=list)",
        ),
        # conditionals: nested, with long parts laid out again, as an assignment's value
        (
            _CALL,
            '        tool_choice=_serde.decode_union(v, ((str,), lambda v: _serde.open_enum(ChatCompletionToolChoiceOptionOption1, v)), ((dict,), ChatCompletionNamedToolChoice.from_dict)) if (v := data.get("tool_choice")) is not None else None,',
        ),
        (
            _CALL,
            '        content=None if data["content"] is None else _serde.decode_union(data["content"], ((str,), lambda v: v), ((list,), lambda v: [ChatCompletionRequestMessageContentPart.from_dict(v) for v in v])),',
        ),
        (
            _CALL,
            '        logprobs=(None if data["logprobs"] is None else CompletionsCreateResponseChoicesItemLogprobs.from_dict(data["logprobs"])) if "logprobs" in data else NOT_GIVEN,',
        ),
        (
            _CALL,
            '        tools=[_serde.decode_union(v, ((dict,), AssistantToolsCode.from_dict), ((dict,), AssistantToolsRetrieval.from_dict)) for v in data["tools"]],',
        ),
        (
            _METHOD,
            '        data["logprobs"] = None if self.logprobs is None else self.logprobs.to_dict(read_only=read_only)',
        ),
        (
            _METHOD,
            "        result: AudioResponse | AudioVerboseResponse = parse_json(response, lambda v: _serde.decode_union(v, ((dict,), AudioResponse.from_dict), ((dict,), AudioVerboseResponse.from_dict)))",
        ),
        # block headers: black splits a class at its bases, a def at its parameters (a lone
        # one gets a comma), and leaves what it cannot split over-long
        (_TOP_BLOCK, f"class {_STRIPE}(str, Enum):"),
        (_TOP_BLOCK, f"class {_STRIPE}ResourceEuBankTransfer:"),
        (_TOP_BLOCK, f"class {_STRIPE}Resource(" + ", ".join(["SomeBaseModel"] * 8) + "):"),
        (
            _METHOD_HEADER,
            "    def with_raw_response(self) -> AsyncApi20100401AvailablePhoneNumberCountryOperationsWithRawResponse:",
        ),
        (
            _METHOD_HEADER,
            "    def __init__(self, operations: AsyncApi20100401UserDefinedMessageSubscriptionOperations) -> None:",
        ),
        (_METHOD_HEADER, f"    def with_raw_response(self) -> Async{_TWILIO}WithRawResponse:"),
        (_SIGNATURE_END, f"    ) -> {_TWILIO}:"),
        (
            _SIGNATURE_END,
            "    ) -> PostCustomersCustomerSubscriptionsPaymentSettingsPaymentMethodOptionsCustomerBalanceOption1:",
        ),
        (
            _SIGNATURE,
            "    ) -> PostCustomersCustomerSubscriptionsPaymentSettingsPaymentMethodOptionsCustomerBalanceOption1: ...",
        ),
        # a value with nothing to split at: in optional parentheses if that helps
        (
            _ENUM,
            '    CABLE_SATELLITE_AND_OTHER_PAY_TELEVISION_AND_RADIO = "cable_satellite_and_other_pay_television_and_radio"',
        ),
        (_ENUM, f'    {_STRIPE.upper()} = "{_STRIPE.lower()}"'),
        (
            _METHOD,
            '        data["cashapp_handle_redirect_or_display_qr_code"] = self.cashapp_handle_redirect_or_display_qr_code.to_dict(read_only=read_only)',
        ),
        (
            _METHOD,
            '        data["refund_account_holder_address_country"] = self.refund_account_holder_address_country',
        ),
        (
            _INIT,
            '        self.interval = _PostCustomersCustomerSubscriptionsItemsItemPriceDataRecurringInterval_members.get(data["interval"], data["interval"])',
        ),
        # an assignment to a name: its call's bracket first, the parentheses only if every
        # line then fits, else the over-long first line
        (
            _MODULE,
            "_AccountCapabilitiesAcssDebitPayments_members = _serde.value_map(AccountCapabilitiesAcssDebitPayments)",
        ),
        (
            _MODULE,
            "_InvoicePaymentMethodOptionsCustomerBalanceBankTransferEuBankTransferCountry_members = _serde.value_map(InvoicePaymentMethodOptionsCustomerBalanceBankTransferEuBankTransferCountry)",
        ),
        (_MODULE, f"_{_STRIPE}_members = _serde.value_map({_STRIPE})"),
        (
            _MODULE,
            "_PostBillingPortalConfigurationsFeaturesSubscriptionCancelCancellationReasonOptionsOption2_members = _serde.value_map(PostBillingPortalConfigurationsFeaturesSubscriptionCancelCancellationReasonOptionsOption2)",
        ),
        (_METHOD, f"        return parse_json(response, {_TWILIO}.from_dict)"),
        # parameters whose annotation is a long union: the annotation in parentheses
        (
            _PARAMETERS,
            "        metadata: dict[str, str] | PostAccountsAccountBankAccountsIdMetadataOption2 | str | None = None,",
        ),
        (
            _PARAMETERS,
            "        policy_events_resource: MicrosoftAzurePolicyeventsListqueryresultsformanagementgroupPolicyEventsResource | str,",
        ),
        (
            _PARAMETERS,
            "        personal_preferences_operations_payload: PersonalPreferencesOperationsPayload | Mapping[str, Any],",
        ),
        (
            _PARAMETERS,
            "        billing_thresholds: PostCustomersCustomerSubscriptionsBillingThresholdsOption1 | PostCustomersCustomerSubscriptionsBillingThresholdsOption2 | str | None = None,",
        ),
        # a union member too long for its line: split inside its own brackets, or left
        # over-long when it is a lone name
        (
            _CLASS,
            "    permissions: list[PostCheckoutSessionsPaymentMethodOptionsUsBankAccountFinancialConnectionsPermissionsItem | str] | None = None",
        ),
        (_CLASS, f"    eu_bank_transfer: {_STRIPE}ResourceEuBankTransfer | None = None"),
        (
            _PARAMETERS,
            "        policy_events_resource: MicrosoftAzurePolicyeventsListqueryresultsforsubscriptionlevelpolicyassignmentPolicyEventsResource | str,",
        ),
        # a call whose head alone is over-long: black splits at its bracket all the same
        (
            _INIT,
            '        self.email = _serde.decode_union(v, ((str,), lambda v: v), ((str,), lambda v: _PostPaymentIntentsPaymentMethodDataBillingDetailsEmailOption2_members.get(v, v))) if (v := data.get("email")) is not None else None',
        ),
        (
            _INIT,
            '        self.setup_future_usage = _PostPaymentIntentsPaymentMethodOptionsAfterpayClearpayOption1SetupFutureUsage_members.get(v, v) if (v := data.get("setup_future_usage")) is not None else None',
        ),
        # a dict's conditional value: in parentheses; a nested conditional's long else
        (
            _DEEP_CALL,
            '            data={"expand": expand, "returned_details": None if returned_details is None else returned_details.to_dict()},',
        ),
        (
            _INIT,
            '        self.capabilities = (None if data["capabilities"] is None else ApiV2010AccountAvailablePhoneNumberCountryAvailablePhoneNumberLocalCapabilities.from_dict(data["capabilities"])) if "capabilities" in data else NOT_GIVEN',
        ),
        # a subscript's arguments one per line; a comprehension's long key; an annotated
        # value laid out inside its optional parentheses
        (
            _CLASS,
            "    currency_options: dict[str, PostCheckoutSessionsShippingOptionsItemShippingRateDataFixedAmountCurrencyOptionsValue] | None = None",
        ),
        (
            _CLASS,
            "    products: list[PostBillingPortalConfigurationsConfigurationFeaturesSubscriptionUpdateProductsOption1Item] | PostBillingPortalConfigurationsConfigurationFeaturesSubscriptionUpdateProductsOption2 | str | None = None",
        ),
        (
            _INIT,
            '        self.currency_options = {k: PostCheckoutSessionsShippingOptionsItemShippingRateDataFixedAmountCurrencyOptionsValue.from_dict(v) for k, v in v.items()} if (v := data.get("currency_options")) is not None else None',
        ),
        (
            _METHOD,
            "        result: Account | BankAccount | Card | Source | DeletedBankAccount | DeletedCard = parse_json(response, lambda v: _serde.decode_union(v, ((object,), lambda v: _serde.decode_union(v, ((dict,), Account.from_dict), ((dict,), BankAccount.from_dict), ((dict,), Card.from_dict), ((dict,), Source.from_dict))), ((object,), lambda v: _serde.decode_union(v, ((dict,), DeletedBankAccount.from_dict), ((dict,), DeletedCard.from_dict)))))",
        ),
    ],
)
def test_layout_matches_black(context: tuple[str, str], line: str) -> None:
    """The layout is black's own output for the line in its context (not merely a layout
    black would leave alone: a stray magic comma would pass that)."""
    laid = fit(line)
    assert laid is not None
    text = context[0] + "\n".join(laid) + "\n" + context[1]
    assert black_format("snippet.py", context[0] + line + "\n" + context[1]) == text


_LONG_OR = " or ".join(f"a_rather_long_variable_name_{i}" for i in range(4))


@pytest.mark.parametrize(
    "source",
    [
        f"class C:\n    x = {_LONG_OR}\n",  # a statement
        f"def f():\n    return {_LONG_OR}\n",  # a statement that needs a function
        f"def f():\n    if {_LONG_OR}:\n        return 1\n    return 2\n",  # a block header
        f"class C:\n    @decorate({_LONG_OR})\n    def f(self) -> None:\n        pass\n",
        "class C:\n    def f(\n        self,\n    ) -> dict[str, SomeVeryLongModelNameThatGoesOnAndOnAndOnForeverAndEverAndEverMoreAndMoreAndMore]:\n        pass\n",
        f"async def f():\n    value = await g({_LONG_OR})\n",
        f"x = [\n    {_LONG_OR},\n]\n",  # an item
    ],
)
def test_over_long_lines_of_unknown_shape_go_to_black_one_at_a_time(
    source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A line ``fit`` does not know goes to black alone (a header with a body added, a
    decorator with a function, a tail with its head), never the whole file."""
    from generator.python import format as formatting

    def whole_file(path: str, source: str) -> str:
        raise AssertionError(f"{path} went to black whole")

    monkeypatch.setattr(formatting, "_black_whole_file", whole_file)
    long_lines = [line for line in source.split("\n") if len(line) > 100]
    assert long_lines and all(fit(line) is None for line in long_lines)
    assert format_python("m.py", source) == black_format("m.py", source)


def test_a_lone_string_stays_as_it_is() -> None:
    line = '    """' + ("A description that runs on and on. " * 4).strip() + '"""'
    assert fit(line) == [line]
    assert black_format("m.py", "class C:\n" + line + "\n") == "class C:\n" + line + "\n"


def test_a_long_pair_of_strings_in_a_dict_stays_as_it_is() -> None:
    """The lazy models' table: ``"ModelName": "_module_name",`` past the line length."""
    line = '    "' + "Long" * 16 + '": "_' + "long_" * 10 + 'module",'
    source = "_MODULES = {\n" + line + "\n}\n"
    assert len(line) > 100 and fit(line) == [line]
    assert black_format("m.py", source) == source


def test_string_lines_are_those_of_multi_line_literals() -> None:
    source = (
        "class C:\n"
        '    """First line of a docstring\n'
        '    second line, with a \'quote\' and a \\""" inside.\n'
        '    """\n'
        '    x = "a # not a comment, \\" and no string start"  # a "comment\n'
        '    y = \'"""\'  # three quotes in a string start nothing\n'
        "    z = f(\n"
        '        """multi\n'
        '        line""", 1)\n'
    )
    assert _string_lines(source) == {2, 3, 4, 9}


def _corpus_specs() -> list[Path]:
    """The shared corpus specs this generator supports (OpenAPI 3.1 is refused)."""
    openai = CORPUS / "azure-openai"
    return (
        sorted((CORPUS / "azure-sample").glob("*.yml"))
        + sorted(p for p in openai.glob("*.yaml") if "oas31" not in p.name)
        + sorted(openai.glob("*/*.json"))
        + sorted((CORPUS / "oas3-sample" / "twilio").glob("*.json"))
    )


@pytest.mark.corpus
def test_corpus_output_is_black_formatted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every corpus spec that generates: its files are black fixpoints, and no file was
    handed to black whole (every over-long line had a rule or a one-line snippet)."""
    from generator.config import Job
    from generator.errors import SpecError
    from generator.pipeline import generate_files
    from generator.python import format as formatting

    specs = _corpus_specs()
    if not specs:
        pytest.skip("corpus not available")
    whole_files: list[str] = []
    current = [""]  # the spec being generated

    def whole_file(path: str, source: str) -> str:
        whole_files.append(f"{current[0]}: {path}")
        return black_format(path, source)

    monkeypatch.setattr(formatting, "_black_whole_file", whole_file)
    failures = []
    for spec in specs:
        current[0] = spec.name
        try:
            _, files = generate_files(Job(spec=spec, output=tmp_path / "o", package_name="pkg"))
        except SpecError:
            continue  # reported by the corpus tests themselves
        for path, text in files.items():
            if (
                path.endswith(".py")
                and "/_runtime/" not in path
                and black_format(path, text) != text
            ):
                failures.append(f"{spec.name}: {path}")
    assert not failures, "\n".join(failures)
    assert not whole_files, "formatted by whole-file black:\n" + "\n".join(whole_files)
