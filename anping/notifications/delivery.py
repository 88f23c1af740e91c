"""Delivery of notifications beyond the inbox (email, SMS). Extended by the notifications work."""


def deliver_notification(notification_id: int) -> None:
    return None
