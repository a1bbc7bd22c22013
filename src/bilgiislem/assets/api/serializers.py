"""Serializers of the assets API (H-REGISTER part). Integer fields are declared explicitly,
so the schema is the same on SQLite and PostgreSQL."""

from rest_framework import serializers

from ..choices import AssetKind, SiteKind
from ..models import Asset, Room, Site, Store, TasinirCode


class CodeSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    parent = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)

    class Meta:
        model = TasinirCode
        fields = ["id", "code", "title", "parent", "is_sample", "asset_kind"]
        read_only_fields = fields


class SiteSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Site
        fields = ["id", "kind", "name", "address", "active"]
        read_only_fields = fields


class SiteInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SiteKind.choices)
    name = serializers.CharField(max_length=200)
    address = serializers.CharField(max_length=500, required=False, allow_blank=True)
    active = serializers.BooleanField(required=False)


class RoomSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    site = serializers.IntegerField(source="site_id", read_only=True)
    unit = serializers.IntegerField(source="unit_id", read_only=True, allow_null=True)

    class Meta:
        model = Room
        fields = ["id", "site", "floor", "name", "unit", "shared"]
        read_only_fields = fields


class RoomInputSerializer(serializers.Serializer):
    site = serializers.IntegerField()
    floor = serializers.CharField(max_length=20, required=False, allow_blank=True)
    name = serializers.CharField(max_length=100)
    unit = serializers.IntegerField(required=False, allow_null=True)
    shared = serializers.BooleanField(required=False)


class StoreSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    unit = serializers.IntegerField(source="unit_id", read_only=True)
    room = serializers.IntegerField(source="room_id", read_only=True, allow_null=True)

    class Meta:
        model = Store
        fields = ["id", "unit", "code", "name", "room"]
        read_only_fields = fields


class StoreInputSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    code = serializers.CharField(max_length=2)
    name = serializers.CharField(max_length=200)
    room = serializers.IntegerField(required=False, allow_null=True)


class AssetSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(source="code.code", read_only=True)
    code_title = serializers.CharField(source="code.title", read_only=True)
    entry_year = serializers.IntegerField(read_only=True)
    sequence = serializers.IntegerField(read_only=True)
    store = serializers.IntegerField(source="store_id", read_only=True)
    room = serializers.IntegerField(source="room_id", read_only=True, allow_null=True)
    site = serializers.IntegerField(source="site_id", read_only=True, allow_null=True)
    holder = serializers.CharField(
        source="holder.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Asset
        fields = [
            "id",
            "sicil_no",
            "code",
            "code_title",
            "kind",
            "entry_year",
            "sequence",
            "serial_number",
            "make",
            "model",
            "ikn",
            "invoice",
            "acceptance_date",
            "value",
            "warranty_until",
            "store",
            "room",
            "site",
            "status",
            "holder",
            "is_storage_medium",
            "note",
            "created_at",
        ]
        read_only_fields = fields


class AssetDetailsInputSerializer(serializers.Serializer):
    """The fields that may be corrected after registration."""

    kind = serializers.ChoiceField(choices=AssetKind.choices, required=False)
    serial_number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    make = serializers.CharField(max_length=100, required=False, allow_blank=True)
    model = serializers.CharField(max_length=100, required=False, allow_blank=True)
    ikn = serializers.CharField(max_length=30, required=False, allow_blank=True)
    invoice = serializers.CharField(max_length=100, required=False, allow_blank=True)
    acceptance_date = serializers.DateField(required=False, allow_null=True)
    warranty_until = serializers.DateField(required=False, allow_null=True)
    is_storage_medium = serializers.BooleanField(required=False)
    site = serializers.IntegerField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)


class AssetRegisterInputSerializer(AssetDetailsInputSerializer):
    code = serializers.CharField(max_length=40)
    kind = serializers.ChoiceField(choices=AssetKind.choices)
    store = serializers.IntegerField()
    room = serializers.IntegerField(required=False, allow_null=True)
    value = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    entry_date = serializers.DateField(required=False, allow_null=True)
    sicil_no = serializers.CharField(max_length=60, required=False, allow_blank=True)


class AssetMoveInputSerializer(serializers.Serializer):
    room = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class HistoryEventSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    occurred_at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor_repr")
    acting_for = serializers.CharField()
    action = serializers.CharField()
    changes = serializers.JSONField()
    reason = serializers.CharField()
