from django.dispatch import receiver

from jiceng.disclosure.signals import item_published

from . import services


@receiver(item_published)
def complete_publication_step(sender, item, **kwargs):
    services.publication_published(item)
