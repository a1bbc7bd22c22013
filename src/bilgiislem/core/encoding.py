import json

from django.core.serializers.json import DjangoJSONEncoder


def plain_json(value):
    """Turn dates, decimals, UUIDs, lazy strings into plain JSON values.

    What is stored must read back identical on SQLite and PostgreSQL, or the audit hash
    would not verify.
    """
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))
