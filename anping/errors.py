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


def run_step(request, fn, /, *, success=None, **kwargs):
    """Run one service for a view or an admin page and show its refusal as a message.

    Returns `(True, result)` when the step went through (with `success`, if given, shown as a
    success message) and `(False, None)` when the service refused it: a refused step has
    changed nothing, and the person sees the service's own Chinese message. The one place where a
    `DomainError` becomes a message, for the admin and the portal alike.
    """
    from django.contrib import messages

    try:
        result = fn(**kwargs)
    except DomainError as exc:
        messages.error(request, exc.message)
        return False, None
    if success:
        messages.success(request, success)
    return True, result
