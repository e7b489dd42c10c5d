from liaison.querysets import VisibleQuerySet


class CaseQuerySet(VisibleQuerySet):
    pass


class DisputeQuerySet(VisibleQuerySet):
    pass


class CoordinationQuerySet(VisibleQuerySet):
    pass


class EnforcementQuerySet(VisibleQuerySet):
    pass


class SupervisionQuerySet(VisibleQuerySet):
    pass


class ClueTransferQuerySet(VisibleQuerySet):
    pass


class ObservationQuerySet(VisibleQuerySet):
    pass


class ReviewQuerySet(VisibleQuerySet):
    pass
