"""Sending mail over SMTP. Pure of Flask: callers pass the settings (app.config works as a dict)."""

import smtplib
import ssl
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str = "application/octet-stream"


@dataclass(frozen=True)
class Mail:
    to: tuple[str, ...]
    subject: str
    body: str
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)
    # A stable Message-ID lets an outbox resend the very same message after a crash.
    message_id: str | None = None


def build_message(mail: Mail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(mail.to)
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = mail.message_id or make_msgid(domain="tracker")
    message.set_content(mail.body)
    for attachment in mail.attachments:
        maintype, _, subtype = attachment.mimetype.partition("/")
        message.add_attachment(
            attachment.content, maintype=maintype, subtype=subtype or "octet-stream", filename=attachment.filename
        )
    return message


def _connect(settings: Mapping) -> smtplib.SMTP:
    host, port, timeout = settings["MAIL_SERVER"], int(settings["MAIL_PORT"]), int(settings.get("MAIL_TIMEOUT_S", 30))
    # The default context verifies the server certificate and host name.
    context = ssl.create_default_context()
    if settings.get("MAIL_USE_SSL"):
        return smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    connection = smtplib.SMTP(host, port, timeout=timeout)
    if settings.get("MAIL_USE_STARTTLS"):
        connection.starttls(context=context)
    return connection


def send_mails(settings: Mapping, mails: Iterable[Mail]) -> None:
    """Send each mail over one SMTP connection; raises smtplib/OSError errors to the caller."""
    mails = list(mails)
    if not mails:
        return
    with _connect(settings) as connection:
        if settings.get("MAIL_USERNAME"):
            connection.login(settings["MAIL_USERNAME"], settings.get("MAIL_PASSWORD") or "")
        for mail in mails:
            connection.send_message(build_message(mail, settings["MAIL_SENDER"]))


def send_mail(settings: Mapping, mail: Mail) -> None:
    send_mails(settings, [mail])
