"""What people do in the archive (issue 5). One module per concern; import from here."""

from .fileplan import (
    code_for_filing,
    codes_search,
    current_version,
    file_plan_load_file,
    file_plan_load_rows,
)
from .folders import (
    document_file,
    document_file_copy,
    document_year,
    folder_reevaluate_retention,
    folders_close_year,
    retention_of,
)
from .records import (
    manifest_of,
    manifest_sha256,
    record_archive,
    record_correct,
    record_manifest_matches,
    records_archive_due,
)

__all__ = [
    "code_for_filing",
    "codes_search",
    "current_version",
    "document_file",
    "document_file_copy",
    "document_year",
    "file_plan_load_file",
    "file_plan_load_rows",
    "folder_reevaluate_retention",
    "folders_close_year",
    "manifest_of",
    "manifest_sha256",
    "record_archive",
    "record_correct",
    "record_manifest_matches",
    "records_archive_due",
    "retention_of",
]
