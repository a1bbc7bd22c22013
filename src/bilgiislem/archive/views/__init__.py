"""Archive pages (Arşiv): the file plan, folders, filing and archiving, archived records."""

from .folders import folder_detail, folder_label, folder_labels, folder_list, folder_reevaluate
from .plan import plan_browser
from .records import document_archive, record_correct_view, record_detail

__all__ = [
    "document_archive",
    "folder_detail",
    "folder_label",
    "folder_labels",
    "folder_list",
    "folder_reevaluate",
    "plan_browser",
    "record_correct_view",
    "record_detail",
]
