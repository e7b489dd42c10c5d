"""The hub's REST API: serializers (`serializers.py`) and viewsets (`views.py`).

Other apps reuse `Pagination`, `ApiMixin` and `ScopedSlugRelatedField` from here so
their endpoints page, render and scope related ids the same way.
"""
