from django.urls import path
from rest_framework.routers import SimpleRouter

from . import dispatch, views

app_name = "correspondence-api"

router = SimpleRouter()
router.register("letters", views.LetterViewSet, basename="letter")

LETTER = "letters/<int:pk>/"
urlpatterns = [
    *router.urls,
    # Annexes and dispatch: api/dispatch.py
    path(f"{LETTER}annexes/", dispatch.LetterAnnexListView.as_view(), name="letter-annexes"),
    path(
        f"{LETTER}annexes/<int:annex_pk>/",
        dispatch.LetterAnnexView.as_view(),
        name="letter-annex",
    ),
    path(
        f"{LETTER}annexes/<int:annex_pk>/move/",
        dispatch.LetterAnnexMoveView.as_view(),
        name="letter-annex-move",
    ),
    path(
        f"{LETTER}annexes/<int:annex_pk>/file/",
        dispatch.LetterAnnexFileView.as_view(),
        name="letter-annex-file",
    ),
    path(
        f"{LETTER}recipients/<int:recipient_pk>/eyp/",
        dispatch.LetterEypView.as_view(),
        name="letter-eyp",
    ),
    path(
        f"{LETTER}recipients/<int:recipient_pk>/paper/",
        dispatch.LetterPaperDispatchView.as_view(),
        name="letter-paper",
    ),
    path(
        f"{LETTER}dispatches/", dispatch.LetterDispatchListView.as_view(), name="letter-dispatches"
    ),
]
