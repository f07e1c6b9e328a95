"""The email outbox: one .eml per message, named by delivery, written atomically."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

from distributor.channels import CHANNELS
from distributor.channels.outbox import EmailOutbox, eml_file_name
from distributor.config import Settings
from distributor.model import Message, Snippet
from tests.newsletter_samples import compiled_sample, sample_message


def test_each_message_becomes_one_eml_file_named_by_its_delivery(tmp_path: Path):
    outbox = EmailOutbox.from_settings(Settings(data_dir=tmp_path))
    message = sample_message(compiled_sample())
    receipt = outbox.send(message)
    path = tmp_path / "outbox" / "email" / "d1-c7.eml"
    assert receipt.ok and receipt.remote_id == str(path)
    assert path.read_bytes() == message.raw
    parsed = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert parsed["Subject"].startswith("Hoe ik als kinesist")
    assert parsed.get_body(("html",)) is not None


def test_sending_the_same_delivery_again_replaces_its_file_and_leaves_no_temporary_files(
    tmp_path: Path,
):
    outbox = EmailOutbox(tmp_path)
    compiled = compiled_sample()
    outbox.send(sample_message(compiled, number=1))
    outbox.send(sample_message(compiled, number=1))
    outbox.send(sample_message(compiled, number=2))
    names = sorted(p.name for p in (tmp_path / "email").iterdir())
    assert names == ["d1-c7.eml", "d2-c7.eml"]


def test_file_names_are_safe_whatever_the_key():
    message = Message("a@b.be", "c@d.be", b"", "<m1@b.be>", key="../../etc/passwd key")
    assert eml_file_name(message) == "etc_passwd_key.eml"
    assert eml_file_name(Message("a@b.be", "c@d.be", b"", "<m1@b.be>")) == "m1@b.be.eml"


def test_the_outbox_refuses_social_snippets(tmp_path: Path):
    snippet = Snippet(platform="x", texts=("hi",), link="https://x", language="nl")
    receipt = EmailOutbox(tmp_path).send(snippet)
    assert receipt.permanent and "email messages only" in receipt.error


def test_an_unwritable_outbox_is_a_temporary_failure(tmp_path: Path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    receipt = EmailOutbox(blocked).send(sample_message(compiled_sample()))
    assert not receipt.ok and receipt.temporary and "cannot write to the outbox" in receipt.error


def test_both_email_channels_are_registered_by_name():
    assert CHANNELS["outbox"] is EmailOutbox
    assert CHANNELS["smtp"].name == "smtp"
