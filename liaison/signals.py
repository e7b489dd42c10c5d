"""Security invariants that must hold however a password is changed (page, admin, shell)."""

from django.db.models.signals import pre_save
from django.dispatch import Signal, receiver

from .models import User

# Sent inside the signing transaction (kwargs: delivery, by). Apps whose records are
# delivered as letters (a suggestion's 建议书) start their clocks from it, whichever
# page the recipient signed on.
delivery_signed = Signal()
# Sent inside the issuing transaction (kwargs: letter, by): a record whose written answer
# is a letter (enforcement feedback, a reply) closes when that letter is issued.
letter_issued = Signal()
# Sent when a ledger entry's due date moved because the holiday calendar changed (kwargs:
# entry, before, by): the app that owns the entry's source keeps its own deadline field equal.
ledger_due_changed = Signal()


@receiver(pre_save, sender=User)
def revoke_tokens_on_password_change(sender, instance: User, raw=False, **kwargs):
    # Sessions already die with a new password hash (Django checks it); API tokens do not.
    if raw or not instance.pk:
        return
    old = User.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if old is not None and old != instance.password:
        from rest_framework.authtoken.models import Token

        Token.objects.filter(user_id=instance.pk).delete()
