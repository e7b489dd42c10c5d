"""The two ceilings every portal figure is divided by (measured in the same run, interleaved)."""

from django.http import JsonResponse
from rest_framework import generics, serializers

from suggestions.models import Suggestion


def bare_json(request):
    return JsonResponse({"ok": True})


class BareSuggestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Suggestion
        fields = ["uuid", "title", "kind", "status", "created_at", "issuer", "recipient"]


class BareDrfList(generics.ListAPIView):
    """50 suggestions by primary key, no visibility, no joins: what DRF itself costs here."""

    serializer_class = BareSuggestionSerializer
    pagination_class = None

    def get_queryset(self):
        return Suggestion.objects.order_by("-id")[:50]
