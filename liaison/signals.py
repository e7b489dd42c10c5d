"""Security invariants that must hold however a password is changed (page, admin, shell)."""

from django.db.models.signals import pre_save
from django.dispatch import receiver

from .models import User


@receiver(pre_save, sender=User)
def revoke_tokens_on_password_change(sender, instance: User, raw=False, **kwargs):
    # Sessions already die with a new password hash (Django checks it); API tokens do not.
    if raw or not instance.pk:
        return
    old = User.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if old is not None and old != instance.password:
        from rest_framework.authtoken.models import Token

        Token.objects.filter(user_id=instance.pk).delete()
