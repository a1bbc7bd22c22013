"""Pages of retrieval (Ödünç Talepleri), storage locations (Yerler) and the yearly cycle
(Yıllık döngü), included by ``archive/urls.py`` into the ``archive`` namespace."""

from django.urls import path

from .views import cycle, loans, locations

urlpatterns = [
    # Retrieval (RYY art. 13(c)).
    path("odunc/", loans.retrieval_list, name="retrieval-list"),
    path("odunc/yeni/", loans.retrieval_create, name="retrieval-create"),
    path("odunc/<int:pk>/", loans.retrieval_detail, name="retrieval-detail"),
    path("odunc/<int:pk>/onayla/", loans.retrieval_approve, name="retrieval-approve"),
    path("odunc/<int:pk>/reddet/", loans.retrieval_reject, name="retrieval-reject"),
    path("odunc/<int:pk>/odunc-ver/", loans.retrieval_lend, name="retrieval-lend"),
    path("odunc/<int:pk>/erisim-ver/", loans.retrieval_grant, name="retrieval-grant"),
    path("odunc/<int:pk>/iade-et/", loans.retrieval_return, name="retrieval-return"),
    path("odunc/<int:pk>/teslim-al/", loans.retrieval_receive, name="retrieval-receive"),
    path("odunc/<int:pk>/erisimi-bitir/", loans.retrieval_end_access, name="retrieval-end-access"),
    path("odunc/<int:pk>/geri-cek/", loans.retrieval_cancel, name="retrieval-cancel"),
    # Storage locations.
    path("yerler/", locations.location_list, name="location-list"),
    path("yerler/<int:pk>/", locations.location_detail, name="location-detail"),
    path("yerler/<int:pk>/ekle/", locations.location_add_child, name="location-add-child"),
    path("yerler/<int:pk>/ad/", locations.location_rename, name="location-rename"),
    path("yerler/<int:pk>/kaldir/", locations.location_deactivate, name="location-deactivate"),
    path("klasorler/<int:pk>/yer/", locations.folder_locate, name="folder-locate"),
    # The yearly cycle.
    path("dongu/", cycle.cycle_page, name="cycle"),
    path("dongu/kontrol/<int:year>/<int:unit>/", cycle.review_detail, name="review-detail"),
    path(
        "dongu/kontrol/<int:year>/<int:unit>/onayla/", cycle.review_confirm, name="review-confirm"
    ),
    path("dongu/devir/hazirla/", cycle.transfer_prepare, name="transfer-prepare"),
    path("dongu/devir/<int:pk>/", cycle.transfer_detail, name="transfer-detail"),
    path("dongu/devir/<int:pk>/teslim-et/", cycle.transfer_hand_over, name="transfer-hand-over"),
    path("dongu/devir/<int:pk>/teslim-al/", cycle.transfer_receive, name="transfer-receive"),
    path("dongu/devir/<int:pk>/iptal/", cycle.transfer_cancel, name="transfer-cancel"),
    path("dongu/devir/<int:pk>/cikar/<int:folder>/", cycle.transfer_remove, name="transfer-remove"),
]
