"""A throwaway Dovecot IMAP server on loopback for the tests (plaintext login is allowed on 127.0.0.1)."""
import getpass
import grp
import os
import pwd
import socket
import subprocess
import tempfile
import time

USER, PASSWORD = "support@example.test", "secret"

CONFIG = """protocols = imap
listen = 127.0.0.1
base_dir = {dir}/run
state_dir = {dir}/run
log_path = {dir}/dovecot.log
ssl = no
mail_location = maildir:{dir}/mail/%n
mail_uid = {user}
mail_gid = {group}
first_valid_uid = 1
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {dir}/passwd
}}
userdb {{
  driver = static
  args = home={dir}/mail/%n
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
}}
service anvil {{
  chroot =
}}
"""


def start(port: int):
    """Start dovecot in the foreground on `port`; returns (process, folder). Root runs it as user dovecot."""
    folder = tempfile.mkdtemp(prefix="imap-")
    os.chmod(folder, 0o755)            # dovecot's mail processes need +x on the path
    user = "dovecot" if os.getuid() == 0 else getpass.getuser()
    group = grp.getgrgid(pwd.getpwnam(user).pw_gid).gr_name
    os.makedirs(f"{folder}/run")
    os.makedirs(f"{folder}/mail")
    os.chown(f"{folder}/mail", pwd.getpwnam(user).pw_uid, pwd.getpwnam(user).pw_gid)
    with open(f"{folder}/passwd", "w") as handle:
        handle.write(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
    with open(f"{folder}/dovecot.conf", "w") as handle:
        handle.write(CONFIG.format(dir=folder, user=user, group=group, port=port))
    proc = subprocess.Popen(["dovecot", "-F", "-c", f"{folder}/dovecot.conf"], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, folder
        except OSError:
            time.sleep(0.05)
    proc.terminate()
    raise RuntimeError(f"dovecot did not start; see {folder}/dovecot.log")


def stop(proc) -> None:
    proc.terminate()
    proc.wait(timeout=10)
