"""Export on request: the ZIP holds every message, file and raw mail of hers, and nothing of anyone else's."""
import json
import zipfile

from sqlalchemy import select

from support.extensions import db
from support.mail.models import InboundMail
from support.privacy.models import PrivacyLog

from .conftest import ANNA, PER, PER_NAME


def test_export_holds_all_of_hers_and_nothing_else(app, desk, runner, tmp_path):
    out = tmp_path / "anna.zip"
    result = runner.invoke(args=["data", "export", "--email", ANNA, "--out", str(out)])
    assert result.exit_code == 0, result.output
    archive = zipfile.ZipFile(out)
    document = json.loads(archive.read("tickets.json"))

    assert [t["reference"] for t in document["tickets"]] == [desk.anna_web.reference, desk.anna_mail.reference]
    exported = {m["id"]: m["text"] for t in document["tickets"] for m in t["messages"]}
    assert exported == {m.id: m.body_text for t in (desk.anna_web, desk.anna_mail) for m in t.messages}
    assert any(m["kind"] == "reply" for m in document["tickets"][0]["messages"])     # the agent's answer to her

    stored = {a.sha256: (desk.upload_dir / a.stored_name).read_bytes()
              for t in (desk.anna_web, desk.anna_mail) for a in t.attachments}
    members = [n for n in archive.namelist() if n.startswith("files/")]
    assert len(members) == len(stored) == 3
    assert sorted(archive.read(n) for n in members) == sorted(stored.values())

    raws = db.session.scalars(select(InboundMail).where(InboundMail.sender == ANNA)).all()
    assert len(raws) == 2                                  # the mail that opened a ticket, and the held one
    assert sorted(archive.read(f"mail/{r.id}.eml") for r in raws) == sorted(r.raw for r in raws)

    per_files = [(desk.upload_dir / a.stored_name).read_bytes() for a in desk.per_web.attachments]
    for name in archive.namelist():
        content = archive.read(name)
        assert PER.encode() not in content and PER_NAME.encode() not in content, name
        assert content not in per_files, name
    log = db.session.scalars(select(PrivacyLog)).one()
    assert log.action == "export" and log.counts == {"tickets": 2, "messages": 3, "files": 3, "raw_mails": 2}
    assert ANNA not in json.dumps(log.counts) + json.dumps(log.ids)


def test_a_file_name_cannot_become_a_path(app, desk, runner, tmp_path):
    from support.tickets.models import Attachment
    attachment = desk.anna_web.attachments[0]
    db.session.get(Attachment, attachment.id).original_name = "../../etc/passwd"
    db.session.commit()
    out = tmp_path / "anna.zip"
    assert runner.invoke(args=["data", "export", "--email", ANNA, "--out", str(out)]).exit_code == 0
    names = zipfile.ZipFile(out).namelist()
    assert all(".." not in n and not n.startswith("/") for n in names)


def test_someone_elses_message_on_her_ticket_stays_out(app, desk, runner, tmp_path):
    from support.tickets import operations
    from support.tickets.photos import Upload

    from ..tickets import images
    from ..tickets.conftest import MONDAY_10
    photo = images.photo("JPEG", color="purple")
    operations.add_customer_message(desk.anna_mail, f"Hej, jag är kollega.\n{PER_NAME}", [Upload("per2.jpg", photo)],
                                    now=MONDAY_10, sender=PER)
    out = tmp_path / "anna.zip"
    assert runner.invoke(args=["data", "export", "--email", ANNA, "--out", str(out)]).exit_code == 0
    archive = zipfile.ZipFile(out)
    assert len([n for n in archive.namelist() if n.startswith("files/")]) == 3
    for name in archive.namelist():
        content = archive.read(name)
        assert PER.encode() not in content and PER_NAME.encode() not in content and content != photo, name
