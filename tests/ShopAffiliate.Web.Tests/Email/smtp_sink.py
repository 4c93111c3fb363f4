"""An aiosmtpd handler for the tests: stores each message as a file, or refuses with 451 while told to.

Run as: python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c smtp_sink.Sink FOLDER   (with this folder on PYTHONPATH)
- every accepted message is written to FOLDER/<uuid>.eml (via a temporary name, so a reader never sees half a file);
- while FOLDER/refuse exists, DATA is answered 451 and FOLDER/refused-<uuid> is written (the test waits on those);
- a recipient whose address starts with "bounce" is refused for good: 550.
The server exits by itself when the test process that started it is gone (it is then re-parented), so a test run
that ends without disposing its fixture (a failed InitializeAsync, a killed test host) leaves no server behind.
"""
import os
import threading
import time
import uuid


def _exit_with_parent():
    parent = os.getppid()
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


threading.Thread(target=_exit_with_parent, daemon=True).start()


class Sink:
    def __init__(self, folder):
        self.folder = folder

    @classmethod
    def from_cli(cls, parser, *args):
        return cls(args[0])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("bounce"):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if os.path.exists(os.path.join(self.folder, "refuse")):
            open(os.path.join(self.folder, "refused-" + uuid.uuid4().hex), "w").close()
            return "451 4.3.0 Try again later"
        name = uuid.uuid4().hex
        temp = os.path.join(self.folder, name + ".tmp")
        with open(temp, "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(temp, os.path.join(self.folder, name + ".eml"))
        return "250 OK"
