from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "nansen.identity"
    label = "identity"
    verbose_name = _("Identity")

    def ready(self) -> None:
        # Identity is built on registration, never the other way: registration announces
        # the persons it saved and identity indexes them.
        from nansen.identity.receivers import persons_index
        from nansen.registration.signals import persons_saved

        persons_saved.connect(persons_index, dispatch_uid="identity.persons_index")
