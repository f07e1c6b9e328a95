"""A private Dovecot IMAP server for the tests: its own config, folders and loopback port.

Debian's dovecot-imapd provides the binary (scripts/test-services.sh installs it). The server runs
in the foreground from a temporary folder, serves one user from a passwd file, stores mail as
Maildir owned by the system user `mail`, and is stopped and removed after the test.
"""

from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import subprocess
import time
from pathlib import Path

from tests.pipeline.delivery_support import free_port

DOVECOT = "/usr/sbin/dovecot"
USER, PASSWORD = "bounces", "bounce-test-password"
REPO = Path(__file__).resolve().parents[2]

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
first_valid_uid = {uid}
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


class Dovecot:
    """Start with `start()`, read `url`, stop with `stop()` (the folder goes with it)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"imap://{USER}:{PASSWORD}@127.0.0.1:{self.port}/INBOX?processed=Processed"

    def start(self) -> Dovecot:
        if not Path(DOVECOT).exists():
            subprocess.run(["bash", str(REPO / "scripts/test-services.sh")], check=True)
        mail = pwd.getpwnam("mail")
        for folder in ("run", "state", "mail", "home"):
            (self.root / folder).mkdir(parents=True, exist_ok=True)
        for folder in ("mail", "home"):
            os.chown(self.root / folder, mail.pw_uid, mail.pw_gid)
        os.chmod(self.root, 0o755)
        (self.root / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        config = self.root / "dovecot.conf"
        config.write_text(
            CONFIG.format(root=self.root, uid=mail.pw_uid, gid=mail.pw_gid, port=self.port)
        )
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        self._wait_until_listening()
        return self

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                imaplib.IMAP4("127.0.0.1", self.port, timeout=2).logout()
                return
            except OSError:
                if self.process is not None and self.process.poll() is not None:
                    break
                time.sleep(0.1)
        self.stop()
        log = self.root / "dovecot.log"
        raise RuntimeError(f"dovecot did not start: {log.read_text() if log.exists() else ''}")

    def client(self) -> imaplib.IMAP4:
        """A logged-in IMAP client for the test's own checks."""
        imap = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        imap.login(USER, PASSWORD)
        return imap

    def deliver(self, *messages: bytes) -> None:
        """Put messages into the INBOX (IMAP APPEND), as the mail server would."""
        imap = self.client()
        for message in messages:
            status, _ = imap.append("INBOX", None, None, message.replace(b"\r\n", b"\n"))
            assert status == "OK"
        imap.logout()

    def count(self, folder: str) -> int:
        """Messages in a folder (0 when it does not exist)."""
        imap = self.client()
        status, data = imap.select(f'"{folder}"', readonly=True)
        imap.logout()
        return int(data[0]) if status == "OK" else 0

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
        shutil.rmtree(self.root, ignore_errors=True)
