"""Email address checks made before anything is sent: syntax and shape, no DNS lookups."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email


class BadAddress(ValueError):
    """An address that cannot receive email, with the reason in words."""

    def __init__(self, address: str, reason: str) -> None:
        super().__init__(f"{address!r} is not a valid email address: {reason}")
        self.address = address
        self.reason = reason


def normalised_address(address: str) -> str:
    """The address in its normal form (domain lowercased, IDN as ASCII); BadAddress if invalid."""
    try:
        result = validate_email(address, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        raise BadAddress(address, str(exc)) from None
    return result.ascii_email or result.normalized


def address_problem(address: str) -> str | None:
    """Why an address cannot receive email, or None when it is fine."""
    try:
        normalised_address(address)
    except BadAddress as exc:
        return exc.reason
    return None
