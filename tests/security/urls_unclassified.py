"""The project's URLs plus one page and one API operation no policy module classifies
(tests/security/test_matrix.py::test_an_unclassified_route_fails_the_build)."""

from django.http import HttpResponse
from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView


class UnclassifiedApi(APIView):
    def get(self, request):
        return Response({})


urlpatterns = [
    path("matrix-probe/unclassified/", lambda request: HttpResponse("x"), name="matrix_probe_unclassified"),
    path("api/v1/matrix-probe/unclassified/", UnclassifiedApi.as_view(), name="matrix_probe_unclassified_api"),
    path("", include("liaison.urls")),
]
