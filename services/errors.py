class DomainError(Exception):
    """An expected failure: a rule said no. Carries the contract's error code."""

    def __init__(self, code: str, message: str, field: tuple[str, ...] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
