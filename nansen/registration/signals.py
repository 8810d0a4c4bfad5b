"""What registration tells the apps built on it.

Registration imports none of them: an app that keeps something about persons (the identity
app's candidate index) connects a receiver in its ``AppConfig.ready()``. The signal is sent
inside the registering service's transaction and with ``send``, not ``send_robust``: a
receiver's writes commit with the registration, and a receiver that fails rolls it back.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent once the persons' details are saved together with their documents and case
# memberships (a case registered, a member added, details corrected, an import):
# ``persons``, a list of Person.
persons_saved = Signal()
