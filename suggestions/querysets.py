from liaison.querysets import VisibleQuerySet


class SuggestionQuerySet(VisibleQuerySet):
    pass


class FilingQuerySet(VisibleQuerySet):
    pass
