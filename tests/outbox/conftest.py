"""The outbox is fed by mail intake in these tests: its mailbox configuration applies."""
from tests.mail.conftest import app_config  # noqa: F401  (the intake addresses, for the acknowledgements sent)
