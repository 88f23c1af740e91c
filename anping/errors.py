"""The one error type workflow steps raise when a step is not allowed.

Its message is written for the person who tried the step (in Chinese, through gettext); views,
admin actions and imports show it as it is, and the step has changed nothing.
"""


class DomainError(Exception):
    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = str(message)

    def __str__(self) -> str:
        return self.message


class NotAllowed(DomainError):
    """The actor's role may not take this step on this object."""
