"""Sign-in under load: at most two password checks run at once in a process."""

from __future__ import annotations

import threading
import time

import pytest

from builders import scenario
from ceasefire.domain.errors import AuthenticationError
from ceasefire.domain.workflow import Role
from ceasefire.services import accounts as accounts_module
from ceasefire.services.accounts import Accounts
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario
from conftest import PASSWORD_MEMORY_KIB
from overlaps import AtOnce


def test_concurrent_sign_ins_share_two_password_checks(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_scenario(ledger, scenario())
    accounts = Accounts(ledger.db, memory_kib=PASSWORD_MEMORY_KIB)
    accounts.add_user("us", "us-user", role=Role.OFFICER, password="a long right password")
    checks = AtOnce()
    real = accounts.hasher

    class Counting:
        """The real hasher, counting how many checks run at once."""

        def verify(self, hash_: str, password: str) -> bool:
            with checks.during():
                time.sleep(0.05)
                return real.verify(hash_, password)

    monkeypatch.setattr(accounts, "hasher", Counting())
    outcomes: list[str] = []

    def sign_in(n: int) -> None:
        try:
            accounts.sign_in("us-user", "a long right password", f"10.0.0.{n}")
            outcomes.append("in")
        except AuthenticationError:
            outcomes.append("refused")

    threads = [threading.Thread(target=sign_in, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["in"] * 12
    assert checks.most <= accounts_module.MAX_HASHING
