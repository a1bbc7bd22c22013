"""API of the knowledge base: search and read what the person may see; the service desk's
staff write (also from a resolved request in one step). Articles not visible answer 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import permissions
from ..choices import Category
from ..models import KnowledgeArticle, Ticket
from ..services import knowledge


class ArticleSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    source_ticket = serializers.IntegerField(source="source_ticket_id", read_only=True)

    class Meta:
        model = KnowledgeArticle
        fields = [
            "id",
            "title",
            "body",
            "category",
            "for_partners",
            "published",
            "source_ticket",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ArticleInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    body = serializers.CharField()
    category = serializers.ChoiceField(choices=Category.choices)
    for_partners = serializers.BooleanField(default=False)
    published = serializers.BooleanField(default=True)


class ArticleFromTicketSerializer(serializers.Serializer):
    ticket = serializers.IntegerField()
    title = serializers.CharField(max_length=300, required=False)
    body = serializers.CharField(required=False)
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    for_partners = serializers.BooleanField(default=False)
    published = serializers.BooleanField(default=True)


def _input(serializer_class, request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema_view(
    list=extend_schema(
        summary="Search the knowledge base (Turkish folding: 'yazici' finds 'Yazıcı')",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Words that must all appear."),
            OpenApiParameter("category", OpenApiTypes.STR, enum=Category.values),
        ],
    ),
    retrieve=extend_schema(summary="A knowledge article"),
)
class ArticleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Knowledge base (Bilgi Bankası)."""

    serializer_class = ArticleSerializer

    def get_queryset(self):
        user = self.request.user
        if self.action == "list":
            params = self.request.query_params
            category = params.get("category", "")
            return knowledge.article_search(
                user, params.get("q", ""), category if category in Category.values else ""
            )
        return knowledge.articles_visible_to(user)

    def list(self, request, *args, **kwargs):
        if not knowledge.may_read(request.user):
            raise Http404
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Write an article",
        request=ArticleInputSerializer,
        responses={201: ArticleSerializer},
    )
    def create(self, request):
        if not knowledge.may_read(request.user):
            raise Http404
        data = _input(ArticleInputSerializer, request)
        article = knowledge.article_create(actor=request.user, **data)
        return Response(ArticleSerializer(article).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change an article (fields not sent keep their value)",
        request=ArticleInputSerializer(partial=True),
        responses={200: ArticleSerializer},
    )
    def partial_update(self, request, pk=None):
        article = self.get_object()
        data = _input(ArticleInputSerializer, request, partial=True)
        values = {
            name: data.get(name, getattr(article, name))
            for name in ("title", "body", "category", "for_partners", "published")
        }
        article = knowledge.article_update(actor=request.user, article=article, **values)
        return Response(ArticleSerializer(article).data)

    @extend_schema(
        summary="Write an article from a resolved request in one step",
        request=ArticleFromTicketSerializer,
        responses={201: ArticleSerializer},
    )
    @action(detail=False, methods=["post"], url_path="from-ticket")
    def from_ticket(self, request):
        data = _input(ArticleFromTicketSerializer, request)
        ticket = get_object_or_404(Ticket, pk=data.pop("ticket"))
        if not permissions.is_desk_side(request.user, ticket):
            raise Http404
        article = knowledge.article_from_ticket(actor=request.user, ticket=ticket, **data)
        return Response(ArticleSerializer(article).data, status=status.HTTP_201_CREATED)
