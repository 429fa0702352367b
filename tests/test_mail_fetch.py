"""`putright mail fetch` and `listen`: Maildir and mbox files, a real IMAP server (Debian's
dovecot, started for the test), and the SMTP listener over a real socket."""

from __future__ import annotations

import imaplib
import mailbox
import os
import pwd
import shutil
import smtplib
import socket
import subprocess
import tempfile
import time
from datetime import date
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.test import TestCase, TransactionTestCase, override_settings

from putright.correspondence import outbox
from putright.correspondence.listener import listener
from putright.correspondence.management.commands.mail import Command, parse_imap_url
from putright.correspondence.models import InboundMessage, LetterStyle
from tests.cast import log, make_cast
from tests.test_mail_in import MAILBOX, email

PASSWORD = "a-long-imap-password"
DOVECOT = shutil.which("dovecot", path="/usr/sbin:/usr/bin:/sbin")


def run(*args: str) -> str:
    out = StringIO()
    call_command("mail", *args, stdout=out)
    return out.getvalue().strip()


def failure(*args: str, status: int = 1) -> str:
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert caught.value.returncode == status
    return str(caught.value)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class MediaMixin:
    @classmethod
    def setUpClass(cls) -> None:
        cls.media = tempfile.mkdtemp(prefix="putright-media-")  # type: ignore[attr-defined]
        cls.enterClassContext(override_settings(MEDIA_ROOT=cls.media))  # type: ignore[attr-defined]
        super().setUpClass()  # type: ignore[misc]

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()  # type: ignore[misc]
        shutil.rmtree(cls.media, ignore_errors=True)  # type: ignore[attr-defined]


class FileFetchTests(MediaMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        LetterStyle.objects.create(landlord=cls.cast.landlord, email=MAILBOX)
        cls.complaint = log(cls.cast, date(2025, 6, 11))

    def setUp(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="putright-mail-"))
        self.addCleanup(shutil.rmtree, self.folder, True)

    def messages(self) -> list[bytes]:
        return [
            email(to=outbox.reply_address(self.complaint)).as_bytes(),
            email(sender="stranger@elsewhere.example", subject="Hello").as_bytes(),
            b"no headers at all",
        ]

    def test_a_maildir_is_read_once_and_its_messages_marked_seen(self) -> None:
        box = mailbox.Maildir(self.folder / "Maildir", create=True)
        for raw in self.messages():
            box.add(raw)
        already = mailbox.MaildirMessage(email(subject="Read already").as_bytes())
        already.set_subdir("cur")
        already.add_flag("S")
        box.add(already)
        path = str(self.folder / "Maildir")
        self.assertEqual(
            run("fetch", "--maildir", path), "3 messages: 1 threaded, 2 to triage, 0 duplicates, 1 with problems"
        )
        self.assertEqual(list((self.folder / "Maildir" / "new").iterdir()), [])
        self.assertTrue(all(name.endswith(":2,S") for name in os.listdir(self.folder / "Maildir" / "cur")))
        self.assertEqual(
            run("fetch", "--maildir", path), "0 messages: 0 threaded, 0 to triage, 0 duplicates, 0 with problems"
        )
        self.assertEqual(InboundMessage.objects.count(), 3)

    def test_a_maildir_fetched_with_delete_is_emptied(self) -> None:
        box = mailbox.Maildir(self.folder / "Maildir", create=True)
        box.add(self.messages()[0])
        run("fetch", "--maildir", str(self.folder / "Maildir"), "--delete")
        self.assertEqual(len(mailbox.Maildir(self.folder / "Maildir", create=False)), 0)

    def test_an_mbox_is_read_and_each_message_kept_once(self) -> None:
        box = mailbox.mbox(self.folder / "mail.mbox", create=True)
        for raw in self.messages():
            box.add(raw)
        box.flush()
        box.close()
        path = str(self.folder / "mail.mbox")
        self.assertEqual(
            run("fetch", "--mbox", path), "3 messages: 1 threaded, 2 to triage, 0 duplicates, 1 with problems"
        )
        self.assertEqual(
            run("fetch", "--mbox", path), "3 messages: 0 threaded, 0 to triage, 3 duplicates, 0 with problems"
        )
        self.assertEqual(
            run("fetch", "--mbox", path, "--delete"),
            "3 messages: 0 threaded, 0 to triage, 3 duplicates, 0 with problems",
        )
        self.assertEqual(len(mailbox.mbox(path, create=False)), 0)
        self.assertEqual(InboundMessage.objects.count(), 3)

    def test_a_database_failure_stops_the_fetch_and_leaves_the_message_unread(self) -> None:
        box = mailbox.Maildir(self.folder / "Maildir", create=True)
        box.add(self.messages()[0])
        with mock.patch("putright.correspondence.inbound.receive", side_effect=DatabaseError("the disk is full")):
            message = failure("fetch", "--maildir", str(self.folder / "Maildir"))
        self.assertEqual(message, "could not keep a message, so fetching stopped: the disk is full")
        self.assertEqual(len(os.listdir(self.folder / "Maildir" / "new")), 1)

    def test_a_missing_path_is_a_clear_error(self) -> None:
        self.assertIn("there is no Maildir at", failure("fetch", "--maildir", str(self.folder / "nowhere"), status=2))
        self.assertIn("is not a Maildir", failure("fetch", "--maildir", str(self.folder), status=2))
        self.assertIn("there is no mbox file at", failure("fetch", "--mbox", str(self.folder / "none.mbox"), status=2))
        self.assertIn(
            "--move-to works with --imap only", failure("fetch", "--mbox", "x", "--move-to", "Done", status=2)
        )


class ImapUrlTests(TestCase):
    def test_a_full_url_is_read(self) -> None:
        address = parse_imap_url("imaps://complaints%40ashford.example:p%40ss@mail.example:1993/Complaints%20In")
        self.assertEqual(
            (address.secure, address.host, address.port, address.user, address.password, address.folder),
            (True, "mail.example", 1993, "complaints@ashford.example", "p@ss", "Complaints In"),
        )

    def test_ports_and_the_folder_have_defaults(self) -> None:
        self.assertEqual(parse_imap_url("imaps://u:p@mail.example").port, 993)
        self.assertEqual(parse_imap_url("imap://u:p@mail.example/").port, 143)
        self.assertEqual(parse_imap_url("imap://u:p@mail.example/").folder, "INBOX")

    def test_credentials_may_come_from_the_environment(self) -> None:
        with mock.patch.dict(os.environ, {"IMAP_USER": "env-user", "IMAP_PASSWORD": "env-pass"}):
            address = parse_imap_url("imaps://mail.example/INBOX")
        self.assertEqual((address.user, address.password), ("env-user", "env-pass"))

    def test_a_bad_url_is_a_clear_error(self) -> None:
        with mock.patch.dict(os.environ, {"IMAP_USER": "", "IMAP_PASSWORD": ""}):
            for url, words in (
                ("pop3://u:p@mail.example", "must start with imaps://"),
                ("imaps://", "it has no host"),
                ("imaps://u:p@mail.example:99999", "the IMAP URL must look like"),
                ("imaps://mail.example", "give the IMAP user and password"),
            ):
                self.assertIn(words, failure("fetch", "--imap", url, status=2))

    def test_an_unreachable_server_is_a_clear_error(self) -> None:
        self.assertIn(
            "could not connect to the IMAP server at 127.0.0.1:",
            failure("fetch", "--imap", f"imap://u:p@127.0.0.1:{free_port()}/"),
        )


class Dovecot:
    """A real IMAP server for one test: Debian's dovecot with a throwaway configuration."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="putright-dovecot-"))
        self.port = free_port()
        self.config = self.root / "dovecot.conf"

    def start(self) -> None:
        assert DOVECOT is not None
        root = self.root
        for name in ("run", "state", "home"):
            (root / name).mkdir()
        (root / "passwd").write_text(f"complaints:{{PLAIN}}{PASSWORD}\n")
        if os.geteuid() == 0:
            # Run as root, dovecot refuses to log in or read mail as root: it uses its own users.
            mail_user = pwd.getpwnam("dovecot")
            users = ""
            root.chmod(0o755)
            (root / "passwd").chmod(0o644)
            os.chown(root / "home", mail_user.pw_uid, mail_user.pw_gid)
        else:
            mail_user = pwd.getpwuid(os.getuid())
            name = mail_user.pw_name
            users = f"default_login_user = {name}\ndefault_internal_user = {name}\ndefault_internal_group = {name}"
        uid, gid = mail_user.pw_uid, mail_user.pw_gid
        self.config.write_text(
            f"""
            base_dir = {root}/run
            state_dir = {root}/state
            log_path = {root}/dovecot.log
            protocols = imap
            listen = 127.0.0.1
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain
            auth_failure_delay = 0
            first_valid_uid = {uid}
            first_valid_gid = {gid}
            {users}
            passdb {{
              driver = passwd-file
              args = scheme=PLAIN username_format=%u {root}/passwd
            }}
            userdb {{
              driver = static
              args = uid={uid} gid={gid} home={root}/home/%u
            }}
            mail_location = maildir:~/Maildir
            service imap-login {{
              chroot =
              inet_listener imap {{
                port = {self.port}
              }}
              inet_listener imaps {{
                port = 0
              }}
            }}
            service auth {{
              chroot =
            }}
            service anvil {{
              chroot =
            }}
            """
        )
        # In the foreground (-F), so that this test owns the process and ends it by its id.
        with open(root / "stderr.log", "wb") as errors:
            self.process = subprocess.Popen(  # noqa: S603
                [DOVECOT, "-F", "-c", str(self.config)], stdin=subprocess.DEVNULL, stdout=errors, stderr=errors
            )
        deadline = time.monotonic() + 15
        while True:
            try:
                self.client().logout()
                return
            except (OSError, imaplib.IMAP4.error):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    log = (root / "stderr.log").read_text(errors="replace")
                    raise AssertionError(f"dovecot did not start: {log}") from None
                time.sleep(0.1)

    def stop(self) -> None:
        process = getattr(self, "process", None)
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, folder: str = "INBOX", password: str = PASSWORD) -> str:
        return f"imap://complaints:{password}@127.0.0.1:{self.port}/{folder}"

    def client(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        client.login("complaints", PASSWORD)
        return client

    def deliver(self, raw: bytes, folder: str = "INBOX", flags: str | None = None) -> None:
        client = self.client()
        client.append(folder, flags, None, raw)
        client.logout()

    def unseen_and_all(self, folder: str = "INBOX") -> tuple[int, int]:
        client = self.client()
        client.select(folder)
        unseen = len(client.search(None, "UNSEEN")[1][0].split())
        total = len(client.search(None, "ALL")[1][0].split())
        client.logout()
        return unseen, total


@pytest.mark.skipif(DOVECOT is None, reason="dovecot is not installed (apt-get install dovecot-imapd): IMAP untested")
class ImapFetchTests(MediaMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        LetterStyle.objects.create(landlord=cls.cast.landlord, email=MAILBOX)
        cls.complaint = log(cls.cast, date(2025, 6, 11))

    def setUp(self) -> None:
        self.server = Dovecot()
        self.addCleanup(self.server.stop)
        self.server.start()

    def test_unseen_messages_are_fetched_once_and_marked_seen(self) -> None:
        self.server.deliver(email(to=outbox.reply_address(self.complaint)).as_bytes())
        self.server.deliver(email(sender="stranger@elsewhere.example", subject="Hello").as_bytes())
        self.server.deliver(email(subject="Read in a mail client").as_bytes(), flags="(\\Seen)")
        self.assertEqual(
            run("fetch", "--imap", self.server.url()),
            "2 messages: 1 threaded, 1 to triage, 0 duplicates, 0 with problems",
        )
        self.assertEqual(self.server.unseen_and_all(), (0, 3))
        self.assertEqual(
            run("fetch", "--imap", self.server.url()),
            "0 messages: 0 threaded, 0 to triage, 0 duplicates, 0 with problems",
        )
        threaded = InboundMessage.objects.get(state=InboundMessage.State.THREADED)
        self.assertEqual(threaded.complaint, self.complaint)

    def test_fetched_messages_can_be_moved_to_another_folder(self) -> None:
        client = self.server.client()
        client.create("Processed")
        client.logout()
        self.server.deliver(email().as_bytes())
        run("fetch", "--imap", self.server.url(), "--move-to", "Processed")
        self.assertEqual(self.server.unseen_and_all(), (0, 0))
        self.assertEqual(self.server.unseen_and_all("Processed"), (0, 1))

    def test_fetched_messages_can_be_deleted(self) -> None:
        self.server.deliver(email().as_bytes())
        self.server.deliver(email(subject="Kept, already read").as_bytes(), flags="(\\Seen)")
        run("fetch", "--imap", self.server.url(), "--delete")
        self.assertEqual(self.server.unseen_and_all(), (0, 1))

    def test_credentials_from_the_environment_are_used(self) -> None:
        self.server.deliver(email().as_bytes())
        url = f"imap://127.0.0.1:{self.server.port}/INBOX"
        with mock.patch.dict(os.environ, {"IMAP_USER": "complaints", "IMAP_PASSWORD": PASSWORD}):
            self.assertTrue(run("fetch", "--imap", url).startswith("1 message: "))

    def test_a_wrong_password_and_a_missing_folder_are_clear_errors(self) -> None:
        self.assertIn("there is no mailbox 'Nowhere'", failure("fetch", "--imap", self.server.url("Nowhere")))
        # Last: dovecot slows down the next login from an address after a failed one.
        self.assertIn("refused the login for complaints", failure("fetch", "--imap", self.server.url(password="wrong")))

    def test_a_server_without_starttls_is_refused_unless_it_is_on_this_machine(self) -> None:
        with mock.patch("putright.correspondence.management.commands.mail._loopback", return_value=False):
            self.assertIn("offers no STARTTLS", failure("fetch", "--imap", self.server.url()))


class SmtpListenerTests(MediaMixin, TransactionTestCase):
    def setUp(self) -> None:
        self.cast = make_cast()
        LetterStyle.objects.create(landlord=self.cast.landlord, email=MAILBOX)
        self.complaint = log(self.cast, date(2025, 6, 11))
        self.port = free_port()

    def send(self, raw: bytes, to: str) -> None:
        with smtplib.SMTP("127.0.0.1", self.port, timeout=10) as client:
            client.sendmail("rosa@example.org", [to], raw)

    def test_a_message_received_over_smtp_is_threaded(self) -> None:
        server = listener("127.0.0.1", self.port)
        server.start()
        self.addCleanup(server.stop)
        reply_to = outbox.reply_address(self.complaint)
        self.send(email(to=reply_to).as_bytes(), reply_to)
        message = InboundMessage.objects.get()
        self.assertEqual((message.state, message.complaint_id), (InboundMessage.State.THREADED, self.complaint.pk))

    def test_the_envelope_recipient_threads_a_blind_copy(self) -> None:
        server = listener("127.0.0.1", self.port)
        server.start()
        self.addCleanup(server.stop)
        self.send(email(to="someone@else.example").as_bytes(), outbox.reply_address(self.complaint))
        self.assertEqual(InboundMessage.objects.get().complaint_id, self.complaint.pk)

    def test_mail_for_other_addresses_and_oversized_mail_are_refused(self) -> None:
        with override_settings(INBOUND_MAX_BYTES=2000):
            server = listener("127.0.0.1", self.port)
        server.start()
        self.addCleanup(server.stop)
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            self.send(email().as_bytes(), "postmaster@elsewhere.example")
        with pytest.raises((smtplib.SMTPSenderRefused, smtplib.SMTPDataError)):
            self.send(email(text="x" * 5000).as_bytes(), MAILBOX)
        self.assertFalse(InboundMessage.objects.exists())

    def test_the_listen_command_serves_until_stopped(self) -> None:
        out = StringIO()
        command = Command(stdout=out)

        def deliver() -> None:
            self.send(email().as_bytes(), MAILBOX)

        command.listen(f"127.0.0.1:{self.port}", wait=deliver)
        self.assertIn(f"Taking email over SMTP at 127.0.0.1:{self.port}", out.getvalue())
        self.assertEqual(InboundMessage.objects.get().landlord, self.cast.landlord)
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", self.port), timeout=2)

    def test_a_bad_bind_address_and_a_port_in_use_are_clear_errors(self) -> None:
        self.assertIn("--bind must be HOST:PORT", failure("listen", "--bind", "localhost", status=2))
        self.assertIn("--bind must be HOST:PORT", failure("listen", "--bind", "127.0.0.1:70000", status=2))
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", self.port))
            taken.listen()
            self.assertIn("could not listen on", failure("listen", "--bind", f"127.0.0.1:{self.port}"))
