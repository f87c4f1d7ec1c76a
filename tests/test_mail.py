"""Mail goes over real SMTP to a local server."""

from tracker.mail import Attachment, Mail, send_mail


def test_mail_with_attachment_reaches_the_smtp_server(app, smtp_server):
    send_mail(
        app.config,
        Mail(
            to=("amu@example.no",),
            subject="Kvartalsrapport 2026-Q3",
            body="Vedlagt rapport.",
            attachments=(Attachment("rapport.pdf", b"%PDF-1.4 test", "application/pdf"),),
        ),
    )
    assert len(smtp_server.messages) == 1
    received = smtp_server.messages[0]
    assert received["to"] == ["amu@example.no"]
    assert received["message"]["Subject"] == "Kvartalsrapport 2026-Q3"
    attachments = list(received["message"].iter_attachments())
    assert [part.get_filename() for part in attachments] == ["rapport.pdf"]
    assert attachments[0].get_content() == b"%PDF-1.4 test"
