"""The one error type of archkit.cdk: a spec that is valid but cannot be built into CDK stacks."""

from __future__ import annotations


class CdkBuildError(ValueError):
    """A spec CDK cannot build; ``path`` is the spec path to fix, ``message`` says what to do."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)


class CdkBuildErrors(ValueError):
    """Every problem found before synthesis, so a user fixes them in one pass."""

    def __init__(self, errors: list[CdkBuildError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))
