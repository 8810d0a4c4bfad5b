"""An identity check and another request's audit entry, side by side on PostgreSQL.

The check locks the user's row to count the user's checks one at a time, then waits for the
audit head. Another transaction that holds the audit head and has written an entry naming the
same user takes a key-share lock on that user's row when its foreign key is checked at
commit. A FOR UPDATE lock on the row would make each wait for the other (PostgreSQL reports
a deadlock); FOR NO KEY UPDATE lets the commit through.
"""

import threading

import pytest
from django.db import connection, connections, transaction

from nansen.audit.services import audit_record
from nansen.identity.identity_check import identity_check_run
from nansen.identity.match_records import record_from_values

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row lock modes are PostgreSQL's"
)


def test_a_check_and_an_audit_entry_of_the_same_user_do_not_deadlock(transactional_db, personas):
    clerk = personas.clerk
    appended, checking = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def append_then_commit():
        try:
            with transaction.atomic():
                audit_record(user=clerk, action="test.side_by_side")  # holds the audit head
                appended.set()
                checking.wait(5)
                # Give the check time to take the user's row and queue on the audit head.
                threading.Event().wait(1.0)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    def check():
        try:
            appended.wait(5)
            checking.set()
            identity_check_run(
                actor=clerk,
                record=record_from_values(key="new", given_name="Ahmad", family_name="Rahimi"),
            )
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append_then_commit), threading.Thread(target=check)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
